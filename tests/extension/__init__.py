"""Tests of the Chrome extension: node unit tests (wrapped) and Playwright end-to-end."""
