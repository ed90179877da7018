"""Benchmark: procurement notices scanned per second (target >= 200 text/HTML notices/s).

run(quick) -> dict with notices/s for the whole per-file pipeline (read, decode,
extract, recognise, screen every party against the real BIS list, decide), on
synthetic fictional notices: ccgp-style HTML in UTF-8 and GBK, and plain text,
one in ten naming controlled compute. Building the screening index is timed apart.
notices_per_s is wall-clock; notices_per_cpu_s counts this process's CPU time only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_HTML = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{buyer}{what}采购项目{kind}公告_中国政府采购网</title></head>
<body><div class="vF_detail_header"><h2>{buyer}{what}采购项目{kind}公告</h2><p>发布时间：2025年{m:02d}月{d:02d}日 10:00</p></div>
<div class="vF_detail_content"><p>一、项目编号：BENCH-2025-{n:05d}</p><p>二、项目名称：{buyer}{what}采购项目</p>
<p>三、中标（成交）信息</p><table><tr><td>序号</td><td>中标（成交）金额(元)</td><td>中标供应商名称</td><td>中标供应商地址</td></tr>
<tr><td>1</td><td>¥{amount:,}.00</td><td>{supplier}</td><td>某市某区某路{n}号</td></tr></table>
<p>四、主要标的信息</p><table><tr><th>序号</th><th>货物名称</th><th>品牌</th><th>规格型号</th><th>数量</th><th>单价(元)</th></tr>
<tr><td>1</td><td>{item}</td><td>{brand}</td><td>{model}</td><td>{qty}台</td><td>{price:,}.00</td></tr>
<tr><td>2</td><td>交换机</td><td>某牌</td><td>S5130</td><td>2台</td><td>3,200.00</td></tr></table>
{filler}
<p>1.采购人信息</p><p>名 称：{buyer}</p><p>地址：某市科学大道{n}号</p><p>联系方式：010-5555{n:04d}</p>
<p>2.采购代理机构信息</p><p>名 称：{agency}</p><p>联系方式：010-6666{n:04d}</p></div></body></html>"""

_TXT = """{buyer}{what}采购项目{kind}公告
项目编号：BENCH-T-{n:05d}
采购人：{buyer}
采购代理机构：{agency}
成交供应商：{supplier}
成交金额：人民币 {wan} 万元
标的名称：{item} {brand} {model}，数量 {qty}
{filler_text}
发布日期：2025年{m:02d}月{d:02d}日
"""

_ITEMS = [
    ("办公家具", "木匠坊", "BG-1400", False), ("台式计算机", "联想", "i5/16G，RTX 3060 显卡", False),
    ("高速冷冻离心机", "某仪", "型号 A100", False), ("网站运维", "服务", "部署于 AWS EC2", False),
    ("阿里云GPU云服务器", "阿里云", "ECS GPU 实例", False), ("图书", "某出版社", "ISBN 978-7-0000", False),
    ("打印纸", "某牌", "A4 70g", False), ("空调", "某牌", "KFR-72LW", False), ("实验试剂", "某牌", "AR 500ml", False),
    ("GPU服务器", "英伟达", "8×H100 80GB SXM5", True),
]
_FILLER = "<p>五、评审专家名单：张某、李某、王某</p><p>六、代理服务收费标准及金额：按国家计价格〔2002〕1980号文件标准收取。</p>" * 20


def _write_notices(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        what, brand, model, _ = _ITEMS[n % len(_ITEMS)]
        values: dict[str, Any] = dict(
            buyer=f"第{n % 97}虚构大学", what=what, kind="中标" if n % 3 else "成交", n=n, m=n % 12 + 1, d=n % 28 + 1,
            amount=10_000 + n * 37, supplier=f"虚构{n % 53}号科技有限公司", agency=f"虚构{n % 11}号招标代理有限公司",
            item=what, brand=brand, model=model, qty=n % 9 + 1, price=5_000 + n, wan=round(1 + n / 100, 2),
            filler=_FILLER, filler_text=_FILLER.replace("<p>", "").replace("</p>", "\n"),
        )
        kind = n % 4
        if kind == 3:
            path = folder / f"notice_{n:05d}.txt"
            path.write_text(_TXT.format(**values), encoding="utf-8")
        elif kind == 2:
            path = folder / f"notice_{n:05d}.html"
            path.write_bytes(_HTML.format(charset="gbk", **values).encode("gb18030"))
        else:
            path = folder / f"notice_{n:05d}.html"
            path.write_text(_HTML.format(charset="utf-8", **values), encoding="utf-8")
        paths.append(path)
    return paths


def run(quick: bool = False) -> dict[str, Any]:
    from computewatch.screening.screener import Screener
    from computewatch.sources.lists import read_list
    from computewatch.tenders.scan import NoticeScanner

    count = 400 if quick else 2000
    start = time.perf_counter()
    _, records = read_list(ROOT / "src/computewatch/data/lists/bis-lists.csl.csv")
    screener = Screener([r.to_list_entity("us_trade_csl") for r in records])
    index_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write_notices(Path(tmp), count)
        size = sum(p.stat().st_size for p in paths)
        warm = NoticeScanner(screener)
        for p in paths[:20]:
            warm.scan_file(p)  # load rules, catalogue, providers once
        scanner = NoticeScanner(screener)
        start, cpu_start = time.perf_counter(), time.process_time()
        results = [scanner.scan_file(p) for p in paths]
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    flagged = sum(r["flagged"] for r in results)
    return {
        "notices": count,
        "seconds": round(elapsed, 3),
        "notices_per_s": round(count / elapsed),
        "notices_per_cpu_s": round(count / cpu),  # steadier when other work shares the machine
        "target_notices_per_s": 200,
        "mean_kb": round(size / count / 1024, 1),
        "flagged": flagged,
        "expected_flagged": sum(1 for n in range(count) if _ITEMS[n % len(_ITEMS)][3]),
        "screening_index_s": round(index_s, 2),
    }


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
