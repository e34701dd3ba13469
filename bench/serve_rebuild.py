# Time from saving one record to the end of the rebuild under `casebook serve` (what an open
# page waits before it reloads), in ms. Usage: serve_rebuild.py CASEBOOK_BINARY LIBRARY
import glob, json, subprocess, sys, threading, time, urllib.request
binary, lib = sys.argv[1], sys.argv[2]
p = subprocess.Popen([binary, "serve", "--root", lib, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    url = p.stdout.readline().split()[1]
    version = json.load(urllib.request.urlopen(url + "_casebook/status"))["version"]
    record = sorted(glob.glob(lib + "/cases/**/*.md", recursive=True))[0]
    original = open(record, encoding="utf-8").read()
    done = []
    waiter = threading.Thread(target=lambda: done.append(json.load(urllib.request.urlopen(f"{url}_casebook/status?since={version}", timeout=300))))
    waiter.start()
    time.sleep(0.3)
    started = time.time()
    with open(record, "w", encoding="utf-8") as f:
        f.write(original + "\n补充说明。\n")
    waiter.join()
    print(round((time.time() - started) * 1000))
    with open(record, "w", encoding="utf-8") as f:
        f.write(original)
finally:
    p.kill()
