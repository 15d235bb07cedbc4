"""The HTTP API: one blueprint per area, each view parse → maxcore → serialise."""
