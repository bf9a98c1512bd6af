"""Korean: 연합뉴스/경제지-style reports (상향/하향/유지), quoted executives, 증권가 forecasts,
amounts in 억 달러 and 조 원, particles chosen by the final syllable."""

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

KO = Language("ko")
t = KO.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["마이크로소프트", "마이크로소프트(MS)"],
    "GOOGL": ["구글", "알파벳", "구글 모회사 알파벳"],
    "META": ["메타", "메타플랫폼스", "메타"],
    "AMZN": ["아마존"],
    "AAPL": ["애플"],
    "ORCL": ["오라클"],
    "NVDA": ["엔비디아"],
    "TSM": ["TSMC", "대만 TSMC"],
    "INTC": ["인텔"],
    "CRWV": ["코어위브"],
    "BABA": ["알리바바"],
    "0700.HK": ["텐센트"],
    "BIDU": ["바이두"],
    "BYTEDANCE": ["바이트댄스", "틱톡 모회사 바이트댄스"],
    "005930.KS": ["삼성전자"],
    "000660.KS": ["SK하이닉스"],
}
BANKS = ["모건스탠리", "골드만삭스", "JP모간", "번스타인", "제프리스", "미래에셋증권", "KB증권",
         "키움증권", "한국투자증권"]
PLACES = ["미국 루이지애나주", "위스콘신주", "펜실베이니아주", "텍사스주", "인도", "일본", "스페인",
          "호주"]

# --- particles -----------------------------------------------------------------------------

_DIGIT_BATCHIM = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False,
                  "6": True, "7": True, "8": True, "9": False}
_DIGIT_RIEUL = {"1", "7", "8"}
_LATIN_BATCHIM = set("LMNRlmnr")


def _final(word: str) -> tuple[bool, bool]:
    """(has a final consonant, that consonant is ㄹ) of how the word is read."""
    w = word.split("(")[0].rstrip(" )") or word
    c = w[-1]
    if "가" <= c <= "힣":
        jong = (ord(c) - 0xAC00) % 28
        return jong != 0, jong == 8
    if c.isdigit():
        return _DIGIT_BATCHIM[c], c in _DIGIT_RIEUL
    if c.isalpha():
        return c in _LATIN_BATCHIM, c in "Ll"
    return False, False


def j(word: str, pair: str) -> str:
    """word + the right particle: pair is "은는", "이가", "을를", "과와", "으로", "이다"."""
    batchim, rieul = _final(word)
    if pair == "으로":
        return word + ("으로" if batchim and not rieul else "로")
    if pair == "이다":
        return word + ("이다" if batchim else "다")
    if pair == "였다":
        return word + ("이었다" if batchim else "였다")
    if pair == "이라고":
        return word + ("이라고" if batchim else "라고")
    return word + (pair[0] if batchim else pair[1])


# --- numbers -------------------------------------------------------------------------------

_UNIT = {"USD": "달러", "CNY": "위안"}


def _eok(v: int, comma: bool) -> str:
    eok, man = divmod(v // 10**4, 10**4)
    head = f"{eok:,}" if comma else str(eok)
    return f"{head}억{man}만" if man else f"{head}억"


def _krw(g: G, v: int) -> str:
    jo, eok = divmod(v // 10**8, 10**4)
    if eok == 0:
        return f"{jo}조"
    if eok % 1000 == 0:
        return g.pick((f"{jo}조 {eok // 1000}천억", f"{jo}조{eok}억", f"{jo}조 {eok}억"))
    return g.pick((f"{jo}조 {eok:,}억", f"{jo}조{eok}억"))


def money(g: G, v: int, cur: str) -> str:
    if cur == "KRW":
        return _krw(g, v) + g.pick((" 원", "원"))
    sep = g.pick((" ", " ", ""))
    return f"{_eok(v, g.chance(0.5))}{sep}{_UNIT[cur]}"


def span(g: G, lo: int, hi: int, cur: str) -> str:
    if cur == "KRW":
        a, b = _krw(g, lo), _krw(g, hi)
        return g.pick((f"{a}~{b} 원", f"{a}~{b}원", f"{a}∼{b}원"))
    comma = g.chance(0.5)
    a, b, u = _eok(lo, comma), _eok(hi, comma), _UNIT[cur]
    return g.pick((f"{a}~{b} {u}", f"{a}~{b}{u}", f"{a} {u}~{b} {u}", f"{a}∼{b} {u}"))


def amount(g: G, m: Amt) -> str:
    if m.form == "range":
        assert m.b is not None
        return span(g, m.a, m.b, m.cur)
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"약 {x}", f"{x} 안팎", f"약 {x}", f"{x} 수준"))
    if m.form == "min":
        return g.pick((f"{x} 이상", f"{x} 이상"))
    if m.form == "max":
        return f"최대 {x}"
    return x


# --- periods -------------------------------------------------------------------------------


def year(g: G, co: Co, fy: int, rel: str | None) -> str:
    if co.calendar_year:
        opts = [f"{fy}년", f"{fy}년", f"{fy}년 연간"]
        if rel == "this":
            opts += ["올해", "올해", "올해 연간", "올 한 해"]
        if rel == "next":
            opts += ["내년", "내년", "내년 연간"]
    else:
        (y1, m1), (y2, m2) = quarter_months(fy, 1, co.fy_end)[0], quarter_months(fy, 4,
                                                                                co.fy_end)[2]
        opts = [f"{fy} 회계연도", f"{fy}회계연도", f"{fy} 회계연도({y1}년 {m1}월~{y2}년 {m2}월)"]
        if rel == "this":
            opts += ["이번 회계연도", "올 회계연도"]
        if rel == "next":
            opts += ["다음 회계연도"]
    return g.pick(opts)


def quarter(g: G, co: Co, fy: int, q: int, relative: bool = True) -> str:
    ms = quarter_months(fy, q, co.fy_end)
    m1, m3 = ms[0][1], ms[2][1]
    if co.calendar_year:
        opts = [f"{fy}년 {q}분기", f"{fy}년 {q}분기"]
        rel = [f"{q}분기", f"{q}분기", f"지난 {q}분기", f"{q}분기({m1}~{m3}월)"]
    else:
        opts = [f"{fy} 회계연도 {q}분기", f"{fy}회계연도 {q}분기({m1}~{m3}월)"]
        rel = [f"회계연도 기준 {q}분기", f"{q}분기({ms[0][0]}년 {m1}~{m3}월)",
               f"{fy} 회계연도 {q}분기"]
    return g.pick(opts + rel if relative else opts)


def name(g: G, co: Co) -> str:
    return g.pick(NAMES[co.id])


CAPEX = ["설비투자", "설비투자", "자본지출", "설비 투자", "시설투자", "자본적 지출",
         "설비투자(CAPEX)"]
FORECAST = ["전망치", "가이던스", "계획", "전망", "예상치"]
UP = ["상향 조정했다", "상향했다", "높였다", "끌어올렸다", "늘려 잡았다", "올렸다", "상향 조정했다"]
DOWN = ["하향 조정했다", "하향했다", "낮췄다", "줄였다", "축소했다", "내려 잡았다"]


def capex(g: G, co: Co) -> str:
    if co.id == "005930.KS":
        return g.pick(("시설투자", "시설투자", "설비투자"))
    return g.pick(CAPEX)


# --- guidance, first person (quoted) -------------------------------------------------------


def _quoted(g: G, change: str | None) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    p, c, a = year(g, co, fy, rel), capex(g, co), amount(g, m)
    if change is None:
        s = g.pick((
            f"{p} {j(c, '은는')} {j(a, '이가')} 될 것으로 예상한다",
            f"{p} {c} 규모를 {j(a, '으로')} 예상하고 있다",
            f"{p} {j(c, '으로')} {j(a, '을를')} 집행할 계획이다",
        ))
    elif change == "raised":
        s = g.pick((f"{p} {c} 전망치를 {j(a, '으로')} 상향한다",
                    f"{p} {c} 계획을 {j(a, '으로')} 늘리기로 했다"))
    elif change == "lowered":
        s = g.pick((f"{p} {c} 전망치를 {j(a, '으로')} 하향 조정한다",
                    f"{p} {c} 계획을 {j(a, '으로')} 줄이기로 했다"))
    else:
        s = g.pick((f"{p} {c} {a} 계획에는 변함이 없다",
                    f"기존에 제시한 {p} {c} 전망치 {j(a, '을를')} 유지한다"))
    n = name(g, co)
    text = g.pick((
        f'{j(n, "은는")} 실적 발표 후 컨퍼런스콜에서 "{s}"고 밝혔다.',
        f'{n} 최고재무책임자(CFO)는 "{s}"고 말했다.',
        f'{n} 측은 "{s}"고 설명했다.',
    ))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


KO.variants("guidance", "quoted", _quoted, (None, None, "raised", "lowered", "reaffirmed"))


@t("guidance")
def release_plan(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    text = (f"{j(name(g, co), '은는')} 보도자료를 통해 {year(g, co, fy, rel)} 연간 "
            f"{j(capex(g, co), '을를')} {j(amount(g, m), '으로')} 계획하고 있다고 밝혔다.")
    return Draft(text, d, (guidance(co, period(fy), m),))


# --- news ----------------------------------------------------------------------------------


def _news(g: G, kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    n, p, c, a = name(g, co), year(g, co, fy, rel), capex(g, co), amount(g, m)
    f = g.pick(FORECAST)
    day = f"{d.day}일(현지시간) " if g.chance(0.3) else ""
    change = None
    if kind in ("up", "down"):
        change = "raised" if kind == "up" else "lowered"
        verb = g.pick(UP if kind == "up" else DOWN)
        text = g.pick((
            f"{j(n, '은는')} {day}{p} {c} {j(f, '을를')} {j(a, '으로')} {verb}.",
            f"{j(n, '이가')} {p} {c} {j(f, '을를')} {j(a, '으로')} {verb}.",
            f"{n}, {p} {c} {j(a, '으로')} {'상향' if kind == 'up' else '하향'}",
            f"{j(n, '은는')} 분기 실적을 발표하며 {p} {c} {j(f, '을를')} {j(a, '으로')} {verb}.",
        ))
    elif kind == "keep":
        change = "reaffirmed"
        text = g.pick((
            f"{j(n, '은는')} {day}{p} {c} 전망치 {j(a, '을를')} 유지했다.",
            f"{j(n, '은는')} {p} {c} {j(f, '을를')} {j(a, '으로')} 유지했다.",
            f"{j(n, '은는')} {p} {a} 규모의 {c} 계획을 재확인했다.",
            f"{j(n, '은는')} 기존 {p} {c} 계획({a})을 그대로 유지했다.",
        ))
    else:
        text = g.pick((
            f"{j(n, '은는')} {day}{p} {c} 규모를 {j(a, '으로')} 예상한다고 밝혔다.",
            f"{j(n, '은는')} {p} {c}에 {j(a, '을를')} 투입할 계획이라고 밝혔다.",
            f"{j(n, '은는')} {p} {a} 규모의 {j(c, '을를')} 집행할 계획이다.",
            f"{n}, {p} {c} {a} 제시",
            f"{p} {j(c, '으로')} {j(a, '을를')} 쓰겠다고 {j(n, '이가')} 밝혔다.",
            f"{j(n, '은는')} {p} {j(c, '이가')} {j(a, '이가')} 될 것이라고 밝혔다.",
        ))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


KO.variants("news", "news", _news, ("set", "set", "up", "up", "down", "keep"))


# --- priors --------------------------------------------------------------------------------


@t("prior")
def prior_before(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    n, p, c = name(g, co), year(g, co, fy, rel), capex(g, co)
    a, pr = amount(g, new), amount(g, old)
    verb = g.pick(UP if up else DOWN)
    text = g.pick((
        f"{j(n, '은는')} {p} {c} 전망치를 기존 {pr}에서 {j(a, '으로')} {verb}.",
        f"{j(n, '은는')} {p} {c} 가이던스를 {pr}에서 {j(a, '으로')} {verb}.",
        f"{j(n, '은는')} 종전 전망치({pr})보다 {'높은' if up else '낮은'} {j(a, '으로')} "
        f"{p} {c} 전망을 {'상향' if up else '하향'} 조정했다.",
    ))
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


@t("prior")
def prior_after(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    n, p, c = name(g, co), year(g, co, fy, rel), capex(g, co)
    a, pr = amount(g, new), amount(g, old)
    verb = g.pick(UP if up else DOWN)
    text = g.pick((
        f"{j(n, '은는')} {p} {c} 전망치를 {j(f'{a}(종전 {pr})', '으로')} {verb}.",
        f"{j(n, '은는')} {p} {c} 계획을 {j(a, '으로')} {verb[:-1]}는데, 이는 이전 전망치 "
        f"{pr}에서 {'늘어난' if up else '줄어든'} 규모다.",
        f"{j(n, '은는')} {p} {c} 전망치를 {j(a, '으로')} {verb[:-1]}고, 기존 "
        f"전망치는 {j(pr, '였다')}.",
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
    n, c, x = name(g, co), capex(g, co), money(g, v, co.cur)
    text = g.pick((
        f"{n}의 {qn} {j(c, '은는')} {j(x, '으로')} 집계됐다.",
        f"{j(n, '은는')} {qn}에 {j(c, '으로')} {j(x, '을를')} 지출했다.",
        f"{qn} {n}의 {j(c, '은는')} {j(x, '으로')} 전년 동기 대비 {g.pick((38, 52, 77))}% "
        "증가했다.",
        f"{j(n, '은는')} {qn} {c}에 {j(x, '을를')} 집행했다고 밝혔다.",
        f"{n}의 {qn} {j(c, '은는')} {j(x, '였다')}.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v),))


@t("actual")
def actual_year_ago(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    v0 = int(v * g.pick((0.55, 0.65, 0.75))) // 10**8 * 10**8
    text = (f"{name(g, co)}의 {qn} {j(capex(g, co), '은는')} {j(money(g, v, co.cur), '으로')} "
            f"전년 동기({money(g, v0, co.cur)})보다 크게 늘었다.")
    return Draft(text, d, (actual(co, period(fy, q), v), actual(co, period(fy - 1, q), v0)))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "ocf")
    n, x = name(g, co), money(g, v, co.cur)
    text = g.pick((
        f"{n}의 {qn} 영업현금흐름은 {j(x, '으로')} 집계됐다.",
        f"{j(n, '은는')} {qn} 영업활동 현금흐름이 {j(x, '이라고')} 밝혔다.",
        f"{qn} {n}의 영업활동으로 인한 현금흐름은 {j(x, '였다')}.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v, "ocf"),))


RPO = {
    "MSFT": ["상업용 잔여이행의무(RPO)", "상업용 잔여 이행 의무"],
    "ORCL": ["잔여이행의무(RPO)", "수주잔고", "잔여 이행 의무"],
    "GOOGL": ["구글 클라우드 수주잔고"],
    "AMZN": ["AWS 수주잔고"],
    "CRWV": ["수주잔고", "잔여이행의무"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "rpo")
    r, x = g.pick(RPO[co.id]), money(g, v, co.cur)
    own = "" if r.startswith(("구글", "AWS")) else f"{name(g, co)}의 "
    text = g.pick((
        f"{own}{qn} 말 기준 {j(r, '은는')} {j(x, '으로')} 늘었다.",
        f"{own}{j(r, '은는')} {qn} 말 {x}에 달했다.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v, "rpo"),))


@t("actual")
def actual_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = min(2025, max(2024, fy_of(d, co.fy_end) - 1))
    d = max(d, dt_after(co, fy))
    v = g.value(co, "year")
    n, c, x = name(g, co), capex(g, co), money(g, v, co.cur)
    if co.calendar_year:
        when = g.pick([f"{fy}년", f"{fy}년 한 해"] + (["지난해"] if fy == d.year - 1 else []))
    else:
        when = g.pick([f"{fy} 회계연도", f"{fy}회계연도 연간"])
    text = g.pick((f"{n}의 {when} {j(c, '은는')} {j(x, '였다')}.",
                   f"{j(n, '은는')} {when} 동안 {c}에 {j(x, '을를')} 썼다."))
    return Draft(text, d, (actual(co, period(fy), v),))


def dt_after(co: Co, fy: int) -> dt.date:
    """A date three weeks after fiscal year fy ended, when the year has been reported."""
    return quarter_end(fy, 4, co.fy_end) + dt.timedelta(days=20)


# --- estimates -----------------------------------------------------------------------------


@t("estimate")
def estimate_street(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n, p, c, a = name(g, co), year(g, co, fy, rel), capex(g, co), amount(g, m)
    bank = g.pick(BANKS)
    reach = f"{j(a, '이가')} 될" if m.form == "min" else f"{a}에 이를"
    text = g.pick((
        f"증권가는 {n}의 {p} {j(c, '이가')} {reach} 것으로 보고 있다.",
        f"월가는 {n}의 {p} {c} 규모를 {j(a, '으로')} 예상하고 있다.",
        f"{j(bank, '은는')} {j(n, '이가')} {p} {c}에 {j(a, '을를')} 쓸 것으로 전망했다.",
        f"{bank} 애널리스트들은 {n}의 {p} {c} 추정치를 {j(a, '으로')} 제시했다.",
        f"LSEG 집계에 따르면 {n}의 {p} {c} 시장 컨센서스는 {j(a, '이다')}.",
        f"시장에서는 {n}의 {p} {j(c, '이가')} {j(a, '을를')} 기록할 것으로 추정한다.",
    ))
    return Draft(text, d, (estimate(co, period(fy), m),))


@t("estimate")
def estimate_vs_guidance(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    n, p, c = name(g, co), year(g, co, fy, rel), capex(g, co)
    text = (f"{j(n, '은는')} {p} {j(c, '으로')} {j(amount(g, m), '을를')} 제시해 시장의 {p} {c} "
            f"예상치({money(g, e.a, co.cur)})를 웃돌았다.")
    return Draft(text, d, (guidance(co, period(fy), m), estimate(co, period(fy), e)))


# --- discourse -----------------------------------------------------------------------------


@t("discourse")
def figure_first(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("max", 1)))
    text = (f"{amount(g, m)}. {j(name(g, co), '이가')} {year(g, co, fy, rel)} "
            f"{capex(g, co)}에 쓰겠다고 밝힌 금액이다.")
    return Draft(text, d, (guidance(co, period(fy), m),))


@t("discourse")
def headline_body(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    new, old = g.revision(co, True)
    n, p, c = name(g, co), year(g, co, fy, rel), capex(g, co)
    head = g.pick((f"[속보] {n}, {p} {c} 전망 상향", f"{n}, AI 투자 확대…{c} 전망치 올려"))
    body = (f"{j(n, '은는')} {d.day}일(현지시간) {p} {c} 전망치를 {amount(g, old)}에서 "
            f"{j(amount(g, new), '으로')} 상향 조정했다고 밝혔다.")
    return Draft(f"{head}\n\n{body}", d, (guidance(co, period(fy), new, "raised", old),))


@t("discourse")
def subject_dropped(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    p, c = year(g, co, fy, rel), capex(g, co)
    second = g.pick((f"또 {p} {c} 규모를 {j(amount(g, m), '으로')} 제시했다.",
                     f"이 회사는 {p} {c} 규모를 {j(amount(g, m), '으로')} 예상했다.",
                     f"회사 측은 {p} {j(c, '이가')} {amount(g, m)}에 달할 것이라고 밝혔다."))
    text = f"{j(name(g, co), '은는')} {d.day}일 분기 실적을 발표했다. {second}"
    return Draft(text, d, (guidance(co, period(fy), m),))


# --- negatives -----------------------------------------------------------------------------


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n, qn = name(g, co), quarter(g, co, fy, q)
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    nxt = "내년" if co.calendar_year else "다음 회계연도"
    this = "올해" if co.calendar_year else "이번 회계연도"
    text = g.pick((
        f"{j(n, '은는')} {qn} 매출 {big}, 영업이익 {j(mid, '을를')} 기록했다.",
        f"{j(n, '은는')} {mid} 규모의 자사주 매입 계획을 발표했다.",
        f"{j(n, '은는')} 데이터센터 투자 재원 마련을 위해 {mid} 규모의 회사채를 발행했다.",
        f"{j(n, '은는')} 사이버보안 스타트업을 {small}에 인수하기로 합의했다.",
        f"{j(n, '은는')} {g.pick(PLACES)}에 {j(small, '을를')} 들여 데이터센터를 짓겠다고 밝혔다.",
        f"{j(n, '은는')} 향후 5년간 {g.pick(PLACES)}에 {j(small, '을를')} 투자해 클라우드 "
        "인프라를 확충할 계획이다.",
        f"{n}의 {qn} 말 현금성 자산은 {j(big, '으로')} 집계됐다.",
        f"{j(n, '은는')} {nxt} 설비투자가 {this}보다 크게 늘어날 것이라고 밝혔다.",
        f"{j(n, '은는')} {this} 설비투자 전망치를 {small} 높였다.",
        f"{n}의 설비투자 전망치는 시장 예상치를 {small} 웃돌았다.",
        f"{n}의 {qn} 설비투자는 전년 동기 대비 {small} 늘었다.",
        f"{j(n, '은는')} 2030년까지 클라우드 매출 {j(big, '을를')} 달성하겠다는 목표를 제시했다.",
        f"{n}의 {qn} 잉여현금흐름은 {j(small, '으로')} 줄었다.",
        f"{n}의 {qn} 영업이익은 {j(mid, '으로')} 늘었다.",
        f"{n}의 {qn} 설비투자는 전년 동기 대비 {g.pick((40, 62, 83))}% 늘었다.",
        f"{n}의 {qn} 순이익은 {j(mid, '으로')} 집계됐다.",
    ))
    return Draft(text, d, ())
