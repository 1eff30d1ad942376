#!/usr/bin/env python3
"""verify-draw.py: recompute a Touchpoint prize draw from its exported round, with nothing but
Python's standard library. Usage: touchpoint draw show ROUND --json > round.json
                                  python3 verify-draw.py round.json
Exit 0 when the entries match the fingerprint, the seed matches the commitment shown before
the draw, and the seed picks exactly the recorded winners (docs/draws.md)."""
import hashlib
import hmac
import json
import sys


def pick(seed, prize, entries, n):
    left = list(entries)
    winners = []
    counter = 0
    while len(winners) < n and left:
        mac = hmac.new(seed, f"{prize}:{counter}".encode(), hashlib.sha256).digest()
        counter += 1
        r = int.from_bytes(mac[:8], "big")
        m = len(left)
        if r >= (1 << 64) - ((1 << 64) % m):  # rejection sampling: no entry is favoured
            continue
        winners.append(left.pop(r % m))
    return winners


def main(path):
    with open(path, encoding="utf-8") as f:
        rnd = json.load(f)
    entries = rnd["entry_ids"]
    if entries != sorted(entries):
        return "the entries are not sorted"
    fingerprint = hashlib.sha256("".join(e + "\n" for e in entries).encode()).hexdigest()
    if fingerprint != rnd["fingerprint"]:
        return "the entries do not match the fingerprint"
    seed = bytes.fromhex(rnd["seed"])
    if hashlib.sha256(seed).hexdigest() != rnd["commitment"]:
        return "the seed does not match the commitment"
    winners = pick(seed, rnd["prize"], entries, rnd["wanted"])
    if winners != [w["lead_id"] for w in rnd["winners"]]:
        return "the seed picks other winners than the recorded ones"
    print(f"round {rnd['round']}: {len(entries)} entries, {len(winners)} winners: verified")
    return None


if __name__ == "__main__":
    problem = main(sys.argv[1])
    if problem:
        print(f"round does not verify: {problem}", file=sys.stderr)
        sys.exit(1)
