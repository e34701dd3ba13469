#!/usr/bin/env python3
"""Time `casebook import` of a ledger of N rows (default 10,000) into an empty library.

The ledger is written with openpyxl (pip install openpyxl) the way county ledgers look: a
merged title row, the header, Excel dates and dates typed as text, free-text columns, a 合计
row. Prints the rows, the records written and the seconds taken (best of three runs).

    python3 bench/import.py [ROWS]   # needs target/release/casebook (cargo build --release)
"""
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import openpyxl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "casebook")


def ledger(path, rows):
    rng = random.Random(7)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.merge_cells("A1:L1")
    sheet["A1"] = "网络舆情台账"
    header = ["序号", "发现时间", "发布平台", "舆情标题", "责任单位", "舆情类别", "预警等级",
              "响应级别", "原帖摘要", "处置情况", "关注量", "首次回应时间"]
    sheet.append(header)
    departments = ["县住建局", "县教育局", "县卫健局", "县交通局", "县市场监管局", "城关镇"]
    categories = ["问题类", "突发事件类", "敏感类", "意见建议类", "造谣诽谤类"]
    warnings = ["红色", "橙色预警", "黄色", "蓝"]
    levels = ["一级", "Ⅱ级", "三级响应"]
    platforms = ["微博", "抖音、快手", "今日头条", "微信公众号"]
    start = datetime.datetime(2021, 1, 1, 8, 0)
    for i in range(rows):
        at = start + datetime.timedelta(minutes=rng.randrange(0, 5 * 365 * 24 * 60))
        found = at if i % 2 else at.strftime("%Y年%-m月%-d日 %H:%M")
        answered = at + datetime.timedelta(minutes=rng.randrange(10, 3000))
        sheet.append([i + 1, found, rng.choice(platforms), f"第{i + 1}号网民反映事项：道路与学校周边问题",
                      rng.choice(departments), rng.choice(categories), rng.choice(warnings),
                      rng.choice(levels), "网民发帖反映" + "相关情况，" * rng.randrange(3, 20),
                      "已转交责任单位核实处置，并回复网民。", f"{rng.randrange(1, 90)}.{rng.randrange(10)}万",
                      answered.strftime("%Y/%m/%d %H:%M")])
    sheet.append(["合计", None, None, None, None, None, None, None, None, None, None, None])
    book.save(path)


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    work = tempfile.mkdtemp(prefix="casebook-import-")
    try:
        path = os.path.join(work, "台账.xlsx")
        ledger(path, rows)
        best = None
        for _ in range(3):
            library = os.path.join(work, "lib")
            shutil.rmtree(library, ignore_errors=True)
            os.makedirs(library)
            began = time.perf_counter()
            done = subprocess.run([BINARY, "import", path, "--root", library],
                                  capture_output=True, text=True)
            took = time.perf_counter() - began
            if done.returncode != 0:
                sys.exit(done.stderr[-2000:])
            best = took if best is None else min(best, took)
        written = sum(len(files) for _, _, files in os.walk(os.path.join(library, "cases")))
        print(f"rows {rows}  records written {written}  import {best:.2f} s (best of 3)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
