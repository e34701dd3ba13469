# Time from saving one record to having its new page (the rebuild under `casebook serve`, then
# the reload's request for the page), in ms, for two kinds of edit: a sentence added to the
# record's last section, and a new title (which changes the words similar cases are found by).
# Prints "LAST_SECTION / TITLE". Usage: serve_rebuild.py CASEBOOK_BINARY LIBRARY
import glob, json, subprocess, sys, threading, time, urllib.request

binary, lib = sys.argv[1], sys.argv[2]
record = sorted(glob.glob(lib + "/cases/**/*.md", recursive=True))[0]
page_path = "cases/" + record.rsplit("/", 1)[-1][:-3] + ".html"
original = open(record, encoding="utf-8").read()
server = subprocess.Popen([binary, "serve", "--root", lib, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def timed_edit(url, text, expected):
    """Save `text` as the record; ms until its page shows `expected`."""
    version = json.load(urllib.request.urlopen(url + "_casebook/status"))["version"]
    waiter = threading.Thread(target=lambda: urllib.request.urlopen(
        f"{url}_casebook/status?since={version}", timeout=300).read())
    waiter.start()
    time.sleep(0.3)
    started = time.time()
    with open(record, "w", encoding="utf-8") as f:
        f.write(text)
    waiter.join()
    page = urllib.request.urlopen(url + page_path).read().decode("utf-8")
    elapsed = time.time() - started
    assert expected in page, "the page shows the edit"
    return round(elapsed * 1000)


try:
    # serve prints its address on standard output (its messages go to standard error).
    url = next(w for w in server.stdout.readline().split() if w.startswith("http"))
    urllib.request.urlopen(url + page_path).read()
    later = timed_edit(url, original + "\n补充说明。\n", "补充说明")
    retitled = original.replace('title = "', 'title = "（更新）舆情回应迟缓', 1)
    title = timed_edit(url, retitled, "（更新）舆情回应迟缓")
    print(f"{later} / {title}")
finally:
    server.kill()
    with open(record, "w", encoding="utf-8") as f:
        f.write(original)
