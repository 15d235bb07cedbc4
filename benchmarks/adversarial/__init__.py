"""The adversarial replay's parts: a real backend to attack (`target`) and one module per attack
family, each exporting an `ATTACKS` table that `benchmarks/bench_adversarial.py` runs in order."""
