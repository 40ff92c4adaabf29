"""Rebuild the embedded versions _83, _63 and _62 (docs/reconstruction.md explains each step).

One-off tool kept for audit: it is how revisions/_83, _63 and _62 were made, and it can make
them again while the embedded edition is still being transcribed. It is not part of hoshin;
frozen versions of a real project are only ever made by ``hoshin freeze``.

- _83 = ``source/`` and ``glossary/`` as committed at git HEAD (the seed's draft _83);
- _63 = _83 with the 改版前 texts of the seed's table rows 2-13 put back, and without the
  用語集 (row 12: the glossary was created for _83);
- _62 = _63 with the 改版前 text of row 1 put back.
Every edit replaces a text that occurs exactly once; the script stops otherwise.

Run from the project folder: ``.venv/bin/python revisions/reconstruct_embedded.py``.
"""

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from hoshin.core.digest import sha256_file  # noqa: E402
from hoshin.core.frozen import apply_rehash, plan_rehash  # noqa: E402

EDITS_63 = [  # (file, text in _83, text in _63, row)
    ("3/3-1-1.md",
     "- ※ 推進に当たっては、個人情報などのセキュリティに配慮するとともに、行政事務の効率化にも繋がるよう、業務システムの整備やシステムを活かした業務手法への再構築などトータルでの検討を進めていきます。\n",
     "- ※ 推進に当たっては、同時に行政事務の効率化にも繋がるよう、バックヤードのシステムの整備を含めたトータルでの検討を進めています。\n", 2),
    ("3/3-1-2.md",
     "   - 即時性に配慮した情報や地理情報システム上での視覚的な情報の公表を検討\n",
     "   - 政府カタログサイト「DATA.GO.JP」などへのオープンデータの掲載を検討\n", 3),
    ("3/3-2-1.md",
     "2. 業務手法の見直しと有効な技術の積極的導入\n   - EBPMの観点から、政策立案に必要なデータに職員がアクセスしやすい環境の構築を検討\n   - 国や県の動向や、民間事業者からの情報収集と効果検証\n",
     "2. 有効な技術の積極的導入\n   - 国や県の動向や、民間事業者からの情報収集と効果検証\n\n   ※ 担当課が取組をイメージしやすいよう、事例集を展開\n", 4),
    ("1/1-6.md",
     "市の最上位計画である総合計画をはじめとする、市全体の取組として目指すところであることを考えれば",
     "市の最上位計画である総合計画が目指すところであることを考えれば", 6),
    ("1/1-6.md",
     "- ①市のDXに関する取組その他ICT関連施策に向かう際の軸となる、行動理念と行動方針を定め、\n",
     "- ①市のDXに関する取組その他ICT関連施策に向かう際の軸と今後の方向性を定め、\n", 7),
    ("2/2-5.md",
     "  - 本方針は、圏域のデジタル化も対象としますが、COVID-19において明らかになったとおり、まずは行政のデジタル化が必要との考えから、行政内部分野に関する取組を中心に記載しています。今後、デジタル化の進展に伴い、柔軟に見直すこととします。\n",
     "", 8),
    ("3/3-2-2.md",
     "- 市では、現在、40を超える業務システムを運用していますが、業務を基準としたシステム構築やカスタマイズ（改修）の多用など、いわば「個別最適」の状態にあり、契約本数の増大による事務負担の増高や制度改正の都度必要となるメンテナンス費用の増高を招いています。更に、このことは、システム間でのデータ連携を困難なものとし、市民の皆さんが行う手続の煩雑さの一因となっています。\n- 今後、市民の皆さんが行う手続の簡素化や政策立案に有効なデータへのアクセス環境の整備を図るため、また、持続可能な行財政基盤の確立のためにも、これまでの個別最適の状態から脱却し、「全体最適」化を進める必要があります。\n",
     "- 市では、現在、xxを超える業務システムと付随する印刷業務委託などを運用していますが、業務を基準としたシステム構築や、カスタマイズの多用など、いわば「個別最適」の状態にあるといえます。また、このことが仕様の不統一に伴うデータ連携の不具合や契約本数の増大による事務負担の増高、更には制度改正の都度必要となるカスタマイズ部分へのメンテナンス費用の増高を招いているといえます。\n- 今後、安定した行財政基盤の確立に向けた一層の取組を進める必要があることを考えれば、システム体系に関しても、これまでの個別最適の状態から脱却し、「全体最適」化を進める必要があります。\n", 9),
    ("3/3-2-3.md",
     "- 市ではこれまでも、業務システムやネットワークの二重化を図ってきたほか、平成29年度からは、住民記録、税、福祉といった市民サービスの提供に直接関係する各基幹系業務システムについて、堅牢な庁外のデータセンターでの運用を開始し、これら基幹系業務システム内のデータについては毎日バックアップを取るなど、セキュリティレベルの向上やBCPを意識したシステム体系の構築に努めてきました。\n- 一方、COVID-19対応において、社会全体として、非対面などの感染症対策を適切に講じつつも、安定した行政サービスを継続的に提供するため、分散勤務やオンライン会議の実現といった、執務室外でも業務を可能とすることなど、柔軟な執務環境の構築の必要性も認識されたところです。\n- 当市においても、今後、感染症対応などの分散勤務時を含め、様々な執務体制を見据えた上で、必要な市民サービスを安定して提供することができる環境を構築すべく、改めてシステムや端末の在り方を見直していく必要があります。\n- 更に、前頁のクラウド・バイ・デフォルトの原則の徹底については、データへのアクセス環境の合理化という観点のみならず、堅牢なデータセンターでの運用を拡大することから、強靱化という観点においても必要な取組となります。\n",
     "- 市ではこれまでも、業務システムやネットワークの冗長化を図ってきたほか、平成29年度からは、住民記録、税、福祉といった市民サービスの提供に直接関係する各基幹系システムについて、堅牢な庁外のデータセンターでの運用を開始し、これら基幹系システム内のデータについては毎日バックアップを取るなど、セキュリティレベルの向上やICT-BCPを意識したシステム体系の構築に努めてきました。\n- 一方、COVID-19対応においては、国全体として、非対面などの感染症対策を適切に講じつつも、安定した行政サービスを継続的に提供するため、分散勤務やウェブ会議の実現など、ICT活用による非常時への備えの重要性が改めて認識されてきました。\n- 本市においても、今後、感染症対応時など、職員が分散して勤務せざるを得ない状況や対面での協議が困難な状況を想定した上で、そのような状況の中であっても必要な市民サービスを提供するという観点から、改めてシステムや端末の在り方を見直していく必要があります。\n- また、この取組は結果的に、今まで庁内の自席に限られていたPCを使った執務を庁外においても可能とするための環境整備の取組ともなるため、柔軟な働き方の実現を検討する上でも必要な環境整備といえます。\n", 10),
    ("3/3-2-3.md",
     "1. 様々な執務体制の確保に資する業務システムや端末の整備\n2. クラウド・バイ・デフォルトの原則の徹底(再掲)\n",
     "1. 非常時に強い業務システムや端末の整備\n2. 柔軟な働き方を可能とする業務システムや端末の整備\n", 11),
]
#: Row 12 (用語集を作成, _63 → _83): _63 has no glossary page, no glossary data.
REMOVE_63 = ["glossary.md"]
EDITS_63.append(("index.md", "revisions\nglossary\ncolophon\n", "revisions\ncolophon\n", 12))

EDITS_62 = [
    ("2/2-1.md", "# 2-1.「ICT」と「ICTによる情報化」\n", "# 2-1.「ICT」と「情報化」\n", 1),
    ("2/2-1.md", "当市ではこれを「ICTによる情報化」と呼びます。", "当市ではこれを「情報化」と呼びます。", 1),
]


def apply(tree: Path, edits: list[tuple[str, str, str, int]]) -> None:
    for rel, before, after, row in edits:
        path = tree / rel
        text = path.read_text(encoding="utf-8")
        count = text.count(before)
        if count != 1:
            sys.exit(f"row {row}: {rel}: the text to replace occurs {count} times, not once")
        path.write_text(text.replace(before, after), encoding="utf-8")


def export_head(parts: list[str]) -> Path:
    """``source/`` and ``glossary/`` as committed at HEAD (never the working tree's edits)."""
    out = ROOT / "_build" / ".cache" / "reconstruct-head"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "HEAD", *parts], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(out, filter="data")
    return out


def make(vid: str, base: Path, edits: list[tuple[str, str, str, int]], remove: list[str],
         glossary: Path | None) -> Path:
    target = ROOT / "revisions" / vid
    for part in ("source", "glossary"):
        shutil.rmtree(target / part, ignore_errors=True)
    shutil.copytree(base, target / "source")
    for rel in remove:
        (target / "source" / rel).unlink()
    apply(target / "source", edits)
    if glossary is not None:
        shutil.copytree(glossary, target / "glossary")
    # The text's lines only; main() then rewrites every manifest in the current format
    # (changes.yaml, history entry, chain) exactly as `hoshin freeze --rehash` does.
    text = sorted(p.relative_to(target).as_posix() for part in ("source", "glossary")
                  for p in (target / part).rglob("*") if p.is_file())
    (target / "MANIFEST.sha256").write_text(
        "".join(f"{sha256_file(target / rel)}  {rel}\n" for rel in text), encoding="utf-8")
    return target / "source"


def main() -> None:
    head = export_head(["source", "glossary"])
    s83 = make("_83", head / "source", [], [], head / "glossary")
    s63 = make("_63", s83, EDITS_63, REMOVE_63, None)
    make("_62", s63, EDITS_62, [], None)
    shutil.rmtree(head)
    apply_rehash(ROOT, plan_rehash(ROOT))
    print("revisions/_83, _63, _62 rebuilt; check them with: hoshin check")


if __name__ == "__main__":
    main()
