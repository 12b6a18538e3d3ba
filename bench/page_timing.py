#!/usr/bin/env python3
"""Time from navigation to the first drawn chart, and bytes transferred, on a first visit.

    bench/page_timing.py URL [--runs N]

Drives headless Chromium through chromedriver's WebDriver HTTP API (standard library only).
Each run uses a fresh browser profile, so nothing is cached: it is a first visit. Prints one
JSON object: the median and every run's milliseconds to the `first-chart` performance mark
that the page sets, and the transfer size (compressed bytes over the wire) of the page and
all its resources.
"""

import argparse
import json
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["value"]


def one_run(base, url):
    with tempfile.TemporaryDirectory() as profile:
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1400,1000"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {"args": args}}}}
        session = call(base, "POST", "/session", caps)["sessionId"]
        try:
            call(base, "POST", f"/session/{session}/url", {"url": url})
            script = """
              const mark = performance.getEntriesByName('first-chart')[0];
              if (!mark) return null;
              const entries = [...performance.getEntriesByType('navigation'),
                               ...performance.getEntriesByType('resource')];
              return {ms: mark.startTime,
                      bytes: entries.reduce((sum, e) => sum + e.transferSize, 0),
                      requests: entries.length};
            """
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                found = call(base, "POST", f"/session/{session}/execute/sync",
                             {"script": script, "args": []})
                if found:
                    return found
                time.sleep(0.05)
            raise SystemExit("no chart was drawn within 15 s of navigation")
        finally:
            call(base, "DELETE", f"/session/{session}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--summary", action="store_true", help="one line of text, not JSON")
    options = parser.parse_args()
    port = free_port()
    driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/status", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        runs = [one_run(base, options.url) for _ in range(options.runs)]
    finally:
        driver.terminate()
        driver.wait()
    result = {
        "first_chart_ms_median": round(statistics.median(r["ms"] for r in runs)),
        "first_chart_ms_runs": [round(r["ms"]) for r in runs],
        "transfer_bytes": max(r["bytes"] for r in runs),
        "requests": max(r["requests"] for r in runs),
    }
    if options.summary:
        print(f"{result['first_chart_ms_median']} ms median "
              f"(runs: {', '.join(map(str, result['first_chart_ms_runs']))}); "
              f"{result['transfer_bytes'] / 1024:.0f} KiB in {result['requests']} requests")
    else:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
