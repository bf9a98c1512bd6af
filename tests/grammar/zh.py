"""Chinese: 财经新闻-style reports (上调/下调/维持/提高), executives quoted on the earnings call,
analysts' 预期, amounts in 亿美元/亿元/万亿韩元; about one case in six in traditional characters
(Taiwan and Hong Kong press: 資本支出, 億美元, 台積電, 輝達)."""

from __future__ import annotations

import datetime as dt
import re

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

ZH = Language("zh")
t = ZH.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["微软"],
    "GOOGL": ["谷歌", "谷歌母公司Alphabet", "Alphabet"],
    "META": ["Meta", "Meta Platforms", "脸书母公司Meta"],
    "AMZN": ["亚马逊"],
    "AAPL": ["苹果公司", "苹果"],
    "ORCL": ["甲骨文"],
    "NVDA": ["英伟达"],
    "TSM": ["台积电"],
    "INTC": ["英特尔"],
    "CRWV": ["CoreWeave"],
    "BABA": ["阿里巴巴", "阿里巴巴集团"],
    "0700.HK": ["腾讯", "腾讯控股"],
    "BIDU": ["百度"],
    "BYTEDANCE": ["字节跳动"],
    "005930.KS": ["三星电子"],
    "000660.KS": ["SK海力士"],
}
BANKS = ["摩根士丹利", "高盛", "摩根大通", "花旗", "伯恩斯坦", "中金公司", "瑞银", "美国银行"]
CN = "一二三四"
WEEK = "一二三四五六日"

# simplified -> traditional for the characters these templates write that differ
_PAIRS = (
    "软軟 达達 电電 积積 际際 尔爾 伟偉 亚亞 马馬 逊遜 苹蘋 资資 开開 预預 计計 调調 维維 为為 "
    "将將 约約 财財 现現 营營 经經 动動 产產 额額 余餘 义義 务務 长長 万萬 韩韓 币幣 与與 发發 "
    "债債 购購 据據 数數 师師 会會 议議 们們 间間 这這 规規 说說 对對 于於 该該 还還 并並 云雲 "
    "压壓 订訂 单單 从從 实實 净淨 总總 划劃 设設 宾賓 报報 业業 绩績 话話 场場 过過 确確 认認 "
    "变變 强強 劲勁 时時 亿億 节節 团團 讯訊 脸臉 书書 执執 显顯 体體 导導 础礎 筹籌 网網 络絡 "
    "创創 扩擴 给給 标標 润潤 项項 减減 码碼 则則 当當 个個 国國 银銀 来來 价價 测測 续續 结結 "
    "转轉 运運 输輸 亏虧 损損 备備 满滿 汇匯 级級 获獲 广廣 华華 东東 门門 题題 应應 关關 两兩 "
    "腾騰 后後 几幾 众眾 险險 仅僅 领領 构構 历歷 录錄 兴興 协協 图圖 层層 线線 据據 齐齊 赖賴 储儲"
)
_TRAD = str.maketrans(dict(pair for pair in _PAIRS.split()))
# names the Taiwan press writes differently from a character-by-character conversion
_TRAD_NAMES = {"英偉達": "輝達"}


def to_trad(text: str) -> str:
    out = text.translate(_TRAD)
    for a, b in _TRAD_NAMES.items():
        out = out.replace(a, b)
    return out.replace("第一季度", "第一季").replace("第二季度", "第二季").replace(
        "第三季度", "第三季").replace("第四季度", "第四季")


# --- numbers -------------------------------------------------------------------------------


def num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _yi(v: int) -> str:
    return num(v / 1e8)


def money(g: G, v: int, cur: str) -> str:
    if cur == "KRW":
        return f"{num(v / 1e12)}万亿韩元"
    if cur == "CNY":
        n = _yi(v)
        return g.pick((f"{n}亿元", f"{n}亿元人民币", f"人民币{n}亿元", f"{n}亿元"))
    return g.pick((f"{_yi(v)}亿美元", f"{_yi(v)}亿美元", f"{_yi(v)}亿美金"))


def span(g: G, lo: int, hi: int, cur: str, between: bool = False) -> str:
    if cur == "KRW":
        a, b, u = num(lo / 1e12), num(hi / 1e12), "万亿韩元"
    else:
        a, b = _yi(lo), _yi(hi)
        u = "亿美元" if cur == "USD" else "亿元"
    forms = [f"{a}亿至{b}{u}", f"{a}亿-{b}{u}", f"{a}亿到{b}{u}", f"{a}-{b}{u}", f"{a}亿~{b}{u}"]
    if cur == "KRW":
        forms = [f"{a}万亿至{b}{u}", f"{a}-{b}{u}", f"{a}万亿到{b}{u}"]
    s = g.pick(forms)
    return f"在{s}之间" if between else s


def amount(g: G, m: Amt) -> str:
    """The amount as a noun phrase (after 至, 到, 投入, 的)."""
    if m.form == "range":
        assert m.b is not None
        return span(g, m.a, m.b, m.cur)
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"约{x}", f"大约{x}", f"{x}左右", f"约{x}"))
    if m.form == "min":
        return g.pick((f"{x}以上", f"逾{x}", f"超过{x}"))
    if m.form == "max":
        return g.pick((f"最多{x}", f"最高{x}"))
    return x


def pred(g: G, m: Amt) -> str:
    """The amount as a predicate after the metric (资本支出将…, 预计资本支出…)."""
    if m.form == "range":
        assert m.b is not None
        return g.pick((span(g, m.a, m.b, m.cur, between=True), "为" + span(g, m.a, m.b, m.cur)))
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"约为{x}", f"为{x}左右", f"达到约{x}", f"约{x}"))
    if m.form == "min":
        return g.pick((f"超过{x}", f"达到{x}以上", f"逾{x}", f"至少为{x}"))
    if m.form == "max":
        return g.pick((f"最多为{x}", f"不超过{x}", f"最高达{x}"))
    return g.pick((f"为{x}", f"达到{x}", f"为{x}"))


# --- periods -------------------------------------------------------------------------------


def year(g: G, co: Co, fy: int, rel: str | None) -> str:
    if co.calendar_year:
        opts = [f"{fy}年", f"{fy}年", f"{fy}年全年"]
        if rel == "this":
            opts += ["今年", "今年", "今年全年", "全年"]
        if rel == "next":
            opts += ["明年", "明年"]
    else:
        end = quarter_end(fy, 4, co.fy_end)
        opts = [f"{fy}财年", f"{fy}财年", f"{fy}财年（截至{end.year}年{end.month}月）",
                f"{fy}会计年度"]
        if rel == "this":
            opts += ["本财年", "本财年", "当前财年"]
        if rel == "next":
            opts += ["下一财年", "下个财年"]
    return g.pick(opts)


def quarter(g: G, co: Co, fy: int, q: int, relative: bool = True) -> str:
    c = CN[q - 1]
    ms = quarter_months(fy, q, co.fy_end)
    if co.calendar_year:
        opts = [f"{fy}年第{c}季度", f"{fy}年Q{q}", f"{fy}年第{c}季度"]
        rel = [f"第{c}季度", f"{c}季度", f"第{c}季度"]
    else:
        opts = [f"{fy}财年第{c}财季", f"{fy}财年第{c}季度", f"{fy}财年Q{q}"]
        rel = [f"第{c}财季", f"截至{ms[2][0]}年{ms[2][1]}月的第{c}财季"]
    return g.pick(opts + rel if relative else opts)


def name(g: G, co: Co) -> str:
    return g.pick(NAMES[co.id])


CAPEX = ["资本支出", "资本支出", "资本开支", "资本性支出"]
UP = ["上调至", "提高至", "提高到", "上调到", "调高至"]
DOWN = ["下调至", "下调到", "降低至", "削减至", "调低至"]
GUIDE = ["指引", "预期", "预测", "计划", "目标"]


def _maybe_trad(g: G, d: Draft) -> Draft:
    """A Latin name before a figure gets a space ("Meta 2025年"); one case in six is written
    in traditional characters."""
    d = Draft(re.sub(r"(?<=[a-z])(?=\d)", " ", d.text), d.date, d.expected)
    if g.chance(0.17):
        return Draft(to_trad(d.text), d.date, d.expected)
    return d


def _weekday(d) -> str:
    return "周" + WEEK[d.weekday()]


# --- guidance, first person ----------------------------------------------------------------


def _quoted(g: G, change: str | None) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    p, c = year(g, co, fy, rel), g.pick(CAPEX)
    if change is None:
        s = g.pick((f"我们预计{p}{c}将{pred(g, m)}",
                    f"我们计划{p}投入{amount(g, m)}用于{c}",
                    f"{p}，我们的{c}预计{pred(g, m)}"))
    elif change == "raised":
        s = g.pick((f"我们将{p}{c}预期{g.pick(UP)}{amount(g, m)}",
                    f"我们现在预计{p}{c}将达到{amount(g, m)}，高于此前的预期"))
    elif change == "lowered":
        s = g.pick((f"我们将{p}{c}预期{g.pick(DOWN)}{amount(g, m)}",
                    f"我们现在预计{p}{c}为{amount(g, m)}，低于此前的预期"))
    else:
        s = g.pick((f"我们仍预计{p}{c}{pred(g, m)}",
                    f"我们维持{p}{c}{amount(g, m)}的预期不变"))
    n = name(g, co)
    text = g.pick((f"{n}首席财务官在财报电话会议上表示：“{s}。”",
                   f"{n}在财报中表示：“{s}。”",
                   f"“{s}，”{n}首席执行官在电话会上说。"))
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), m, change),)))


ZH.variants("guidance", "quoted", _quoted, (None, None, "raised", "lowered", "reaffirmed"))


@t("guidance")
def company_statement(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("approx", 1), ("range", 2)))
    text = (f"{name(g, co)}在财报中表示，公司预计{year(g, co, fy, rel)}{g.pick(CAPEX)}"
            f"{pred(g, m)}。")
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), m),)))


# --- news ----------------------------------------------------------------------------------


def _news(g: G, kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    n, p, c, gd = name(g, co), year(g, co, fy, rel), g.pick(CAPEX), g.pick(GUIDE)
    day = _weekday(d) if g.chance(0.3) else ""
    change = {"up": "raised", "down": "lowered", "keep": "reaffirmed"}.get(kind)
    if kind in ("up", "down"):
        v = g.pick(UP if kind == "up" else DOWN)
        v0 = v[:2]
        text = g.pick((
            f"{n}{day}将{p}{c}{gd}{v}{amount(g, m)}。",
            f"{n}把{p}{c}预期{v}{amount(g, m)}。",
            f"{n}{v0}{p}{c}{gd}至{amount(g, m)}。",
            f"{n}{p}{c}{gd}{v}{amount(g, m)}",
            f"{n}宣布，将{p}的{c}计划{v}{amount(g, m)}。",
            f"受人工智能需求强劲推动，{n}将{p}{c}{gd}{v}{amount(g, m)}。",
        ))
    elif kind == "keep":
        text = g.pick((
            f"{n}维持{p}{c}{amount(g, m)}的{gd}不变。",
            f"{n}{day}重申{p}{c}{amount(g, m)}的{gd}。",
            f"{n}确认{p}{c}仍将{pred(g, m)}。",
        ))
    else:
        text = g.pick((
            f"{n}预计{p}{c}{pred(g, m)}。",
            f"{n}计划{p}投入{amount(g, m)}用于{c}。",
            f"{n}表示，{p}{c}将{pred(g, m)}。",
            f"据{n}披露，其{p}{c}预计{pred(g, m)}。",
            f"{n}{day}预计{p}{c}将{pred(g, m)}。",
            f"{p}，{n}预计将在{c}上投入{amount(g, m)}。",
            f"{amount(g, m)}——这是{n}预计{p}的{c}规模。",
        ))
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), m, change),)))


ZH.variants("news", "news", _news, ("set", "set", "up", "up", "down", "keep"))


# --- priors --------------------------------------------------------------------------------


@t("prior")
def prior(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    n, p, c, gd = name(g, co), year(g, co, fy, rel), g.pick(CAPEX), g.pick(GUIDE)
    a, pr = amount(g, new), amount(g, old)
    v = g.pick(UP if up else DOWN)
    text = g.pick((
        f"{n}将{p}{c}{gd}从{pr}{v}{a}。",
        f"{n}将{p}{c}{gd}由此前的{pr}{v}{a}。",
        f"{n}将{p}{c}{gd}{v}{a}，此前预期为{pr}。",
        f"{n}将{p}{c}{gd}{v}{a}（此前为{pr}）。",
        f"{n}{p}{c}预期由{pr}{'提高到' if up else '降低到'}{a}。",
        f"{n}将{p}{c}{gd}{v}{a}，{'高于' if up else '低于'}此前预计的{pr}。",
    ))
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), new,
                                                    "raised" if up else "lowered", old),)))


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
        f"{n}{qn}{c}为{x}。",
        f"{n}{qn}{c}达{x}，同比增长{g.pick((36, 58, 77, 83))}%。",
        f"{qn}，{n}的{c}为{x}。",
        f"财报显示，{n}{qn}的{c}为{x}，高于市场预期。",
        f"{n}在{qn}投入了{x}的{c}。",
    ))
    return _maybe_trad(g, Draft(text, d, (actual(co, period(fy, q), v),)))


@t("actual")
def actual_year_ago(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    v0 = int(v * g.pick((0.55, 0.65, 0.75))) // 10**7 * 10**7
    text = (f"{name(g, co)}{qn}{g.pick(CAPEX)}为{money(g, v, co.cur)}，"
            f"去年同期为{money(g, v0, co.cur)}。")
    return _maybe_trad(g, Draft(text, d, (actual(co, period(fy, q), v),
                                          actual(co, period(fy - 1, q), v0))))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "ocf")
    n, x = name(g, co), money(g, v, co.cur)
    text = g.pick((
        f"{n}公布，{qn}经营活动产生的现金流量净额为{x}。",
        f"{n}{qn}经营现金流为{x}。",
        f"{qn}，{n}经营活动现金流达到{x}。",
    ))
    return _maybe_trad(g, Draft(text, d, (actual(co, period(fy, q), v, "ocf"),)))


RPO = {
    "MSFT": ["商业剩余履约义务"],
    "ORCL": ["剩余履约义务（RPO）", "剩余履约义务"],
    "GOOGL": ["谷歌云积压订单"],
    "AMZN": ["AWS积压订单"],
    "CRWV": ["剩余履约义务", "积压订单"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "rpo")
    r, x = g.pick(RPO[co.id]), money(g, v, co.cur)
    own = "" if r.startswith(("谷歌", "AWS")) else name(g, co)
    text = g.pick((f"截至{qn}末，{own}{r}增至{x}。", f"{own}{qn}末{r}达到{x}。",
                   f"{own}{r}在{qn}末攀升至{x}。"))
    return _maybe_trad(g, Draft(text, d, (actual(co, period(fy, q), v, "rpo"),)))


@t("actual")
def actual_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = min(2025, max(2024, fy_of(d, co.fy_end) - 1))
    d = max(d, quarter_end(fy, 4, co.fy_end) + dt.timedelta(days=20))
    v = g.value(co, "year")
    n, c, x = name(g, co), g.pick(CAPEX), money(g, v, co.cur)
    if co.calendar_year:
        when = g.pick([f"{fy}年", f"{fy}年全年"] + (["去年"] if fy == d.year - 1 else []))
    else:
        when = g.pick([f"{fy}财年", f"{fy}财年全年"])
    text = g.pick((f"{n}{when}{c}为{x}。", f"{n}{when}{c}总额达{x}。"))
    return _maybe_trad(g, Draft(text, d, (actual(co, period(fy), v),)))


# --- estimates -----------------------------------------------------------------------------


@t("estimate")
def estimate_street(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n, p, c = name(g, co), year(g, co, fy, rel), g.pick(CAPEX)
    bank = g.pick(BANKS)
    text = g.pick((
        f"分析师预计{n}{p}{c}将{pred(g, m)}。",
        f"据LSEG数据，分析师平均预计{n}{p}{c}{pred(g, m)}。",
        f"{bank}预计{n}{p}{c}{pred(g, m)}。",
        f"市场普遍预期{n}{p}的{c}{pred(g, m)}。",
        f"{bank}分析师估计，{n}{p}{c}将{pred(g, m)}。",
    ))
    return _maybe_trad(g, Draft(text, d, (estimate(co, period(fy), m),)))


@t("estimate")
def estimate_vs_guidance(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    n, p, c = name(g, co), year(g, co, fy, rel), g.pick(CAPEX)
    text = (f"{n}预计{p}{c}为{amount(g, m)}，高于分析师对其{p}{c}{money(g, e.a, co.cur)}"
            "的预期。")
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), m),
                                          estimate(co, period(fy), e))))


# --- discourse -----------------------------------------------------------------------------


@t("discourse")
def headline_body(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    new, old = g.revision(co, True)
    n, p, c = name(g, co), year(g, co, fy, rel), g.pick(CAPEX)
    head = g.pick((f"{n}上调{c}预期", f"{n}再度加码AI基础设施投资"))
    body = f"{n}{_weekday(d)}公布财报，并将{p}{c}预期从{amount(g, old)}上调至{amount(g, new)}。"
    return _maybe_trad(g, Draft(f"{head}\n\n{body}", d,
                                (guidance(co, period(fy), new, "raised", old),)))


@t("discourse")
def the_company(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    p, c = year(g, co, fy, rel), g.pick(CAPEX)
    up = g.chance(0.5)
    second = (f"该公司还将{p}{c}指引上调至{amount(g, m)}。" if up
              else f"该公司预计{p}{c}{pred(g, m)}。")
    text = f"{name(g, co)}{_weekday(d)}公布了季度财报，营收超出预期。{second}"
    return _maybe_trad(g, Draft(text, d, (guidance(co, period(fy), m, "raised" if up else None),)))


@t("discourse")
def two_companies(g: G) -> Draft:
    cal = {k: v for k, v in NAMES.items() if k in ("GOOGL", "META", "AMZN", "TSM", "0700.HK")}
    a = g.company(cal, "guides")
    b = g.company({k: v for k, v in cal.items() if k != a.id}, "guides")
    d = g.guidance_date()
    ma, mb = g.amt(a, forms=(("point", 1), ("range", 1))), g.amt(b, forms=(("point", 1),
                                                                         ("approx", 1)))
    text = (f"{name(g, a)}预计今年资本支出为{amount(g, ma)}。"
            f"{name(g, b)}则计划今年投入{amount(g, mb)}用于资本开支。")
    p = period(d.year)
    return _maybe_trad(g, Draft(text, d, (guidance(a, p, ma), guidance(b, p, mb))))


# --- negatives -----------------------------------------------------------------------------


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n, qn = name(g, co), quarter(g, co, fy, q)
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    nxt, this = ("明年", "今年") if co.calendar_year else ("下一财年", "本财年")
    text = g.pick((
        f"{n}{qn}营收为{big}，净利润为{mid}。",
        f"{n}宣布了一项规模为{mid}的股票回购计划。",
        f"{n}发行了{mid}债券，为数据中心建设筹集资金。",
        f"{n}同意以{small}收购一家网络安全初创公司。",
        f"{n}宣布将在美国宾夕法尼亚州投资{small}建设数据中心。",
        f"{n}计划未来五年在日本投资{small}，扩建云计算基础设施。",
        f"截至{qn}末，{n}持有的现金及现金等价物为{big}。",
        f"{n}表示，{nxt}资本支出将大幅增长，但未给出具体数字。",
        f"{n}将{this}资本支出预期上调了{small}。",
        f"{n}的资本支出指引比市场预期高出{small}。",
        f"{n}{qn}资本支出同比增加{small}。",
        f"{n}的目标是到2030年实现云业务营收{big}。",
        f"{n}{qn}自由现金流降至{small}。",
        f"{n}{qn}营业利润增至{mid}。",
        f"{n}{qn}资本支出同比增长{g.pick((45, 63, 91))}%。",
    ))
    return _maybe_trad(g, Draft(text, d, ()))
