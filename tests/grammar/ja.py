"""Japanese: 日経/共同-style reports (上方修正/下方修正/引き上げ/据え置き), quoted executives,
アナリスト予想, amounts in 億ドル/億元/兆ウォン with 万 remainders, fiscal years written as
「2026年6月期」 and quarters as 「7～9月期」."""

from __future__ import annotations

import datetime as dt

from .core import (
    Amt,
    Co,
    Draft,
    G,
    Language,
    actual,
    estimate,
    fy_of,
    guidance,
    period,
    quarter_end,
    quarter_months,
)

JA = Language("ja")
t = JA.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["マイクロソフト", "米マイクロソフト"],
    "GOOGL": ["グーグル", "米グーグル", "米アルファベット", "グーグルの親会社アルファベット"],
    "META": ["メタ", "米メタ", "メタ・プラットフォームズ"],
    "AMZN": ["アマゾン", "米アマゾン・ドット・コム"],
    "AAPL": ["アップル", "米アップル"],
    "ORCL": ["オラクル", "米オラクル"],
    "NVDA": ["エヌビディア", "米エヌビディア"],
    "TSM": ["TSMC", "台湾積体電路製造（TSMC）"],
    "INTC": ["インテル", "米インテル"],
    "CRWV": ["コアウィーブ", "米コアウィーブ"],
    "BABA": ["アリババ", "中国アリババ集団"],
    "0700.HK": ["テンセント", "中国テンセント"],
    "BIDU": ["バイドゥ"],
    "BYTEDANCE": ["バイトダンス", "中国バイトダンス"],
    "005930.KS": ["サムスン電子", "韓国サムスン電子"],
    "000660.KS": ["SKハイニックス", "韓国SKハイニックス"],
}
BANKS = ["モルガン・スタンレー", "ゴールドマン・サックス", "JPモルガン", "野村証券", "みずほ証券",
         "バーンスタイン"]


def name(g: G, co: Co) -> str:
    return g.pick(NAMES[co.id])


# --- numbers -------------------------------------------------------------------------------

_UNIT = {"USD": "ドル", "CNY": "元"}


def _oku(v: int, comma: bool) -> str:
    oku, man = divmod(v // 10**4, 10**4)
    head = f"{oku:,}" if comma else str(oku)
    if man:
        return f"{head}億{man:,}万" if comma else f"{head}億{man}万"
    return f"{head}億"


def _krw(v: int) -> str:
    cho, oku = divmod(v // 10**8, 10**4)
    return f"{cho}兆{oku}億" if oku else f"{cho}兆"


def money(g: G, v: int, cur: str) -> str:
    if cur == "KRW":
        return _krw(v) + "ウォン"
    return _oku(v, g.chance(0.4)) + _UNIT[cur]


def span(g: G, lo: int, hi: int, cur: str, kara: bool = False) -> str:
    """kara: the range may be written 「AからB」, which only reads as a range where no
    「に」/「へ」 follows (before 「と見込む」, 「を計画」); before 「に引き上げた」 it would read
    "from A to B"."""
    if cur == "KRW":
        a, b, u = _krw(lo), _krw(hi), "ウォン"
    else:
        comma = g.chance(0.4)
        a, b, u = _oku(lo, comma), _oku(hi, comma), _UNIT[cur]
    forms = [f"{a}～{b}{u}", f"{a}～{b}{u}", f"{a}─{b}{u}", f"{a}~{b}{u}"]
    if kara:
        forms += [f"{a}から{b}{u}", f"{a}{u}から{b}{u}"]
    return g.pick(forms)


def amount(g: G, m: Amt, kara: bool = False) -> str:
    if m.form == "range":
        assert m.b is not None
        return span(g, m.a, m.b, m.cur, kara)
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"約{x}", f"{x}程度", f"{x}前後", f"約{x}"))
    if m.form == "min":
        return g.pick((f"{x}超", f"{x}以上"))
    if m.form == "max":
        return f"最大{x}"
    return x


# --- periods -------------------------------------------------------------------------------


def year(g: G, co: Co, fy: int, rel: str | None) -> str:
    """A fiscal year as Japanese news writes it: 「2026年」, 「2026年6月期」, 「今期」."""
    if co.calendar_year:
        opts = [f"{fy}年", f"{fy}年", f"{fy}年12月期", f"{fy % 100}年12月期"]
        if rel == "this":
            opts += ["今年", "今年", "今期", "今期"]
        if rel == "next":
            opts += ["来年", "来期"]
    else:
        opts = [f"{fy}年{co.fy_end}月期", f"{fy}年{co.fy_end}月期", f"{fy % 100}年{co.fy_end}月期",
                f"{fy}会計年度"]
        if rel == "this":
            opts += ["今期", "今会計年度"]
        if rel == "next":
            opts += ["来期"]
    return g.pick(opts)


def quarter(g: G, co: Co, fy: int, q: int, relative: bool = True) -> str:
    ms = quarter_months(fy, q, co.fy_end)
    (y1, m1), (_, m3) = ms[0], ms[2]
    if co.calendar_year:
        opts = [f"{fy}年{m1}～{m3}月期", f"{fy % 100}年{m1}～{m3}月期", f"{fy}年第{q}四半期"]
        rel = [f"{m1}～{m3}月期", f"第{q}四半期", f"{m1}～{m3}月期"]
    else:
        opts = [f"{y1}年{m1}～{m3}月期", f"{fy}年{co.fy_end}月期第{q}四半期",
                f"{y1 % 100}年{m1}～{m3}月期"]
        rel = [f"{m1}～{m3}月期", f"第{q}四半期（{m1}～{m3}月）"]
    return g.pick(opts + rel if relative else opts)


CAPEX = ["設備投資", "設備投資", "資本的支出", "設備投資額", "設備投資（資本的支出）"]
PLAIN = CAPEX[:3]  # before 計画/見通し
PLAN = ["計画", "見通し", "予想", "計画"]
UP = ["引き上げた", "上方修正した", "増額した", "引き上げた"]
DOWN = ["引き下げた", "下方修正した", "減額した", "引き下げた"]


# --- guidance, first person ----------------------------------------------------------------


def _quoted(g: G, change: str | None) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    p, a = year(g, co, fy, rel), amount(g, m, kara=change in (None, "reaffirmed"))
    c = g.pick(CAPEX if change is None else PLAIN)
    if change is None:
        s = g.pick((f"{p}の{c}は{a}を見込んでいる", f"{p}は{c}に{a}を投じる計画だ",
                    f"{p}の{c}は{a}と予想している"))
    elif change == "raised":
        s = g.pick((f"{p}の{c}見通しを{a}に引き上げる", f"{p}の{c}計画を{a}に上方修正する"))
    elif change == "lowered":
        s = g.pick((f"{p}の{c}見通しを{a}に引き下げる", f"{p}の{c}計画を{a}に下方修正する"))
    else:
        s = g.pick((f"{p}の{c}は{a}という従来の見通しに変わりはない",
                    f"{p}の{c}計画（{a}）を維持する"))
    n = name(g, co)
    text = g.pick((f"{n}の最高財務責任者（CFO）は決算説明会で「{s}」と述べた。",
                   f"{n}の経営陣は電話会見で「{s}」と説明した。",
                   f"「{s}」。{n}のCFOは決算発表後の電話会議でこう語った。"))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


JA.variants("guidance", "quoted", _quoted, (None, None, "raised", "lowered", "reaffirmed"))


@t("guidance")
def release(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("approx", 1), ("range", 2)))
    text = (f"{name(g, co)}は決算資料で、{year(g, co, fy, rel)}の{g.pick(CAPEX)}を"
            f"{amount(g, m, kara=True)}と見込んでいると明らかにした。")
    return Draft(text, d, (guidance(co, period(fy), m),))


# --- news ----------------------------------------------------------------------------------


def _news(g: G, kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    n, p, a, pl = name(g, co), year(g, co, fy, rel), amount(g, m, kara=kind == "set"), g.pick(PLAN)
    c = g.pick(PLAIN if kind != "set" else CAPEX)
    day = f"{d.day}日、" if g.chance(0.3) else ""
    change = {"up": "raised", "down": "lowered", "keep": "reaffirmed"}.get(kind)
    if kind in ("up", "down"):
        v = g.pick(UP if kind == "up" else DOWN)
        text = g.pick((
            f"{n}は{day}{p}の{c}{pl}を{a}に{v}。",
            f"{n}、{p}の{c}を{a}に{'上方修正' if kind == 'up' else '下方修正'}",
            f"{n}は{p}の{c}{pl}を{a}に{v}と発表した。",
            f"人工知能（AI）向けの需要拡大を受け、{n}は{p}の{c}{pl}を{a}に{v}。",
        ))
    elif kind == "keep":
        text = g.pick((
            f"{n}は{p}の{c}{pl}を{amount(g, m)}に据え置いた。",
            f"{n}は{a}とする{p}の{c}{pl}を維持した。",
            f"{n}は{day}{p}の{c}について、{a}とする従来の{pl}を据え置いた。",
        ))
    else:
        text = g.pick((
            f"{n}は{p}の{c}を{a}と見込む。",
            f"{n}は{p}に{a}の{c}を計画している。",
            f"{n}は{day}{p}の{c}が{amount(g, m)}になるとの見通しを示した。",
            f"{n}は{p}、{c}に{a}を投じる計画だ。",
            f"{p}の{c}について、{n}は{a}を計画していると発表した。",
            f"{n}、{p}の{c}{a}を計画",
        ))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


JA.variants("news", "news", _news, ("set", "set", "up", "up", "down", "keep"))


# --- priors --------------------------------------------------------------------------------


@t("prior")
def prior(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    n, p, c, pl = name(g, co), year(g, co, fy, rel), g.pick(PLAIN), g.pick(PLAN)
    a, pr = amount(g, new), amount(g, old)
    v = g.pick(UP if up else DOWN)
    text = g.pick((
        f"{n}は{p}の{c}{pl}を従来の{pr}から{a}に{v}。",
        f"{n}は{p}の{c}{pl}を{a}に{v}（従来は{pr}）。",
        f"{n}は{p}の{c}を従来予想の{pr}を{'上回る' if up else '下回る'}{a}に{v}。",
        f"{n}は{p}の{c}{pl}を{pr}から{a}に{v}。",
        f"{n}は{p}の{c}{pl}を、これまでの{pr}から{a}へ{v}。",
    ))
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


# --- actuals -------------------------------------------------------------------------------


def _act(g: G, what: str = "quarter"):
    co = g.company(NAMES, what)
    fy, q, d = g.reported_quarter(co)
    return co, fy, q, d, quarter(g, co, fy, q), g.value(co, what)


@t("actual")
def actual_capex(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    n, c, x = name(g, co), g.pick(CAPEX), money(g, v, co.cur)
    text = g.pick((
        f"{n}の{qn}の{c}は{x}だった。",
        f"{n}の{qn}の{c}は{x}と、前年同期から{g.pick((44, 58, 71, 89))}%増えた。",
        f"{n}は{qn}に{x}の{c}を実施した。",
        f"{qn}の{n}の{c}は{x}と、市場予想を上回った。",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v),))


@t("actual")
def actual_year_ago(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    v0 = int(v * g.pick((0.55, 0.65, 0.75))) // 10**8 * 10**8
    text = (f"{name(g, co)}の{qn}の{g.pick(CAPEX)}は{money(g, v, co.cur)}で、前年同期の"
            f"{money(g, v0, co.cur)}から大きく増えた。")
    return Draft(text, d, (actual(co, period(fy, q), v), actual(co, period(fy - 1, q), v0)))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "ocf")
    n, x = name(g, co), money(g, v, co.cur)
    text = g.pick((f"{n}の{qn}の営業キャッシュフローは{x}だった。",
                   f"{qn}の営業キャッシュフローは{x}となったと{n}は発表した。",
                   f"{n}は{qn}に{x}の営業キャッシュフローを稼いだ。"))
    return Draft(text, d, (actual(co, period(fy, q), v, "ocf"),))


RPO = {
    "MSFT": ["商業向け残存履行義務"],
    "ORCL": ["残存履行義務（RPO）", "受注残", "受注残高"],
    "GOOGL": ["グーグル・クラウドの受注残"],
    "AMZN": ["AWSの受注残高"],
    "CRWV": ["受注残高", "受注残"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "rpo")
    r, x = g.pick(RPO[co.id]), money(g, v, co.cur)
    own = "" if r.startswith(("グーグル", "AWS")) else f"{name(g, co)}の"
    text = g.pick((f"{own}{qn}末の{r}は{x}に膨らんだ。", f"{own}{r}は{qn}末時点で{x}に達した。"))
    return Draft(text, d, (actual(co, period(fy, q), v, "rpo"),))


@t("actual")
def actual_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = min(2025, max(2024, fy_of(d, co.fy_end) - 1))
    d = max(d, quarter_end(fy, 4, co.fy_end) + dt.timedelta(days=20))
    v = g.value(co, "year")
    if co.calendar_year:
        when = g.pick([f"{fy}年", f"{fy}年12月期"] + (["昨年"] if fy == d.year - 1 else []))
    else:
        when = g.pick([f"{fy}年{co.fy_end}月期", f"{fy}会計年度"])
    text = g.pick((f"{name(g, co)}の{when}の{g.pick(CAPEX)}は{money(g, v, co.cur)}だった。",
                   f"{name(g, co)}は{when}に{money(g, v, co.cur)}を設備投資に充てた。"))
    return Draft(text, d, (actual(co, period(fy), v),))


# --- estimates -----------------------------------------------------------------------------


@t("estimate")
def estimate_street(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n, p, c, a = name(g, co), year(g, co, fy, rel), g.pick(CAPEX), amount(g, m)
    text = g.pick((
        f"アナリストは{n}の{p}の{c}を{amount(g, m, kara=True)}と予想している。",
        f"LSEGがまとめたアナリスト予想の平均では、{n}の{p}の{c}は{a}となる見込みだ。",
        f"{g.pick(BANKS)}は{n}の{p}の{c}が{a}に達すると予測している。",
        f"市場予想（QUICK・ファクトセット調べ）は{n}の{p}の{c}を{amount(g, m, kara=True)}"
        "とみている。",
    ))
    return Draft(text, d, (estimate(co, period(fy), m),))


@t("estimate")
def estimate_vs_guidance(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    n, p, c = name(g, co), year(g, co, fy, rel), g.pick(CAPEX)
    text = (f"{n}は{p}の{c}を{amount(g, m, kara=True)}と見込み、{p}の{c}についての市場予想"
            f"（{money(g, e.a, co.cur)}）を上回った。")
    return Draft(text, d, (guidance(co, period(fy), m), estimate(co, period(fy), e)))


# --- discourse -----------------------------------------------------------------------------


@t("discourse")
def headline_body(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    new, old = g.revision(co, True)
    n, p, c = name(g, co), year(g, co, fy, rel), g.pick(PLAIN)
    head = g.pick((f"{n}、設備投資見通しを上方修正　AI需要で", f"{n}、AI投資を一段と拡大"))
    body = (f"{n}は{d.day}日、{p}の{c}計画を{amount(g, old)}から{amount(g, new)}に"
            "引き上げたと発表した。")
    return Draft(f"{head}\n\n{body}", d, (guidance(co, period(fy), new, "raised", old),))


@t("discourse")
def same_company(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    p, c = year(g, co, fy, rel), g.pick(PLAIN)
    up = g.chance(0.5)
    second = (f"同社は{p}の{c}計画を{amount(g, m)}に引き上げた。" if up
              else f"同社は{p}の{c}を{amount(g, m, kara=True)}と見込んでいる。")
    text = f"{name(g, co)}が{d.day}日発表した四半期決算は、売上高が市場予想を上回った。{second}"
    return Draft(text, d, (guidance(co, period(fy), m, "raised" if up else None),))


# --- negatives -----------------------------------------------------------------------------


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n, qn = name(g, co), quarter(g, co, fy, q)
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    nxt, this = ("来年", "今年") if co.calendar_year else ("来期", "今期")
    text = g.pick((
        f"{n}の{qn}の売上高は{big}、純利益は{mid}だった。",
        f"{n}は{mid}の自社株買いを発表した。",
        f"{n}はデータセンター建設の資金を確保するため、{mid}の社債を発行した。",
        f"{n}はサイバーセキュリティーの新興企業を{small}で買収すると発表した。",
        f"{n}は米ペンシルベニア州のデータセンターに{small}を投資すると発表した。",
        f"{n}は今後5年間で日本に{small}を投資し、クラウド基盤を増強する。",
        f"{n}の{qn}末の手元資金は{big}だった。",
        f"{n}は{nxt}の設備投資が{this}を大きく上回るとの見通しを示したが、具体的な金額は示さなかった。",
        f"{n}は{this}の設備投資計画を{small}上積みした。",
        f"{n}の設備投資計画は市場予想を{small}上回った。",
        f"{n}の{qn}の設備投資は前年同期比{small}増えた。",
        f"{n}は2030年までにクラウド売上高{big}を目指す。",
        f"{n}の{qn}のフリーキャッシュフローは{small}に減少した。",
        f"{n}の{qn}の営業利益は{mid}だった。",
        f"{n}の{qn}の設備投資は前年同期比{g.pick((42, 66, 87))}%増えた。",
    ))
    return Draft(text, d, ())
