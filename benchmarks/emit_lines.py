"""A build step that prints timestamped lines at a steady rate: `emit_lines.py RATE SECONDS`.

Each line starts with the CLOCK_MONOTONIC time it was written, which the benchmark compares with
the time the line reaches the log view. Lines go out in small batches every 5 ms.
"""

import sys
import time

BATCHES_PER_SECOND = 200


def main() -> None:
    rate, seconds = int(sys.argv[1]), float(sys.argv[2])
    total = int(rate * seconds)
    batch = max(1, rate // BATCHES_PER_SECOND)
    started = time.monotonic()
    sent = 0
    while sent < total:
        delay = started + sent / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = time.monotonic()
        count = min(batch, total - sent)
        sys.stdout.write("".join(f"{now:.6f} build line {sent + i}\n" for i in range(count)))
        sys.stdout.flush()
        sent += count


if __name__ == "__main__":
    main()
