"""English: company releases and call quotes (first person), wire-style news (third person),
reported figures, analysts' forecasts, multi-sentence snippets and figures that are not ours."""

from __future__ import annotations

from .core import (
    COMPANIES,
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

EN = Language("en")
t = EN.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["Microsoft", "Microsoft", "Microsoft Corp."],
    "GOOGL": ["Alphabet", "Google", "Google parent Alphabet", "Alphabet Inc."],
    "META": ["Meta", "Meta Platforms", "Facebook parent Meta"],
    "AMZN": ["Amazon", "Amazon.com"],
    "AAPL": ["Apple"],
    "ORCL": ["Oracle", "Oracle Corp."],
    "NVDA": ["Nvidia"],
    "TSM": ["TSMC", "Taiwan Semiconductor Manufacturing Co."],
    "INTC": ["Intel"],
    "CRWV": ["CoreWeave"],
    "BABA": ["Alibaba", "Alibaba Group"],
    "0700.HK": ["Tencent", "Tencent Holdings"],
    "BIDU": ["Baidu"],
    "BYTEDANCE": ["ByteDance", "TikTok owner ByteDance"],
    "005930.KS": ["Samsung Electronics", "Samsung"],
    "000660.KS": ["SK Hynix", "SK hynix"],
}
SHORT = {k: v[0] for k, v in NAMES.items()}
EPITHET = {
    "MSFT": ["the software giant", "the Redmond, Washington-based company"],
    "GOOGL": ["the search giant", "the Google parent"],
    "META": ["the Facebook parent", "the social media company"],
    "AMZN": ["the e-commerce giant", "the online retailer"],
    "AAPL": ["the iPhone maker"],
    "ORCL": ["the database software maker", "the Austin, Texas-based company"],
    "NVDA": ["the AI chip leader"],
    "TSM": ["the world's largest contract chipmaker"],
    "INTC": ["the struggling chipmaker"],
    "CRWV": ["the AI cloud provider"],
    "BABA": ["the Chinese e-commerce group"],
    "0700.HK": ["the WeChat operator"],
    "BIDU": ["the Chinese search company"],
    "BYTEDANCE": ["the TikTok owner"],
    "005930.KS": ["the South Korean tech giant"],
    "000660.KS": ["the memory chipmaker"],
}
BANKS = ["Morgan Stanley", "Goldman Sachs", "JPMorgan", "Bernstein", "Jefferies", "UBS", "Citi",
         "Barclays", "Evercore ISI", "Bank of America"]
DATA = ["LSEG data", "data compiled by Bloomberg", "FactSet", "Visible Alpha"]
ORD = ["first", "second", "third", "fourth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def name(g: G, co: Co) -> str:
    return g.pick(NAMES[co.id])


def poss(co: Co) -> str:
    n = SHORT[co.id]
    return n + ("'" if n.endswith("s") else "'s")


# --- numbers -------------------------------------------------------------------------------


def num(x: float) -> str:
    s = f"{x:,.2f}".rstrip("0").rstrip(".")
    return s


def money(g: G, v: int, cur: str) -> str:
    if cur == "KRW":
        n = num(v / 1e12)
        return g.pick((f"{n} trillion won", f"{n} trillion won", f"₩{n} trillion",
                       f"KRW {n} trillion"))
    if cur == "CNY":
        n = num(v / 1e9)
        return g.pick((f"{n} billion yuan", f"RMB{n} billion", f"{n} billion yuan",
                       f"{n} billion RMB"))
    n = num(v / 1e9)
    return g.weighted(((f"${n} billion", 6), (f"${n}bn", 1.5), (f"${n}B", 1),
                       (f"US${n} billion", 1), (f"${v / 1e6:,.0f} million", 0.8)))


def span(g: G, lo: int, hi: int, cur: str, ctx: str = "of") -> str:
    if cur == "KRW":
        a, b = num(lo / 1e12), num(hi / 1e12)
        forms = [f"{a} trillion to {b} trillion won", f"{a}-{b} trillion won",
                 f"between {a} trillion and {b} trillion won"]
    elif cur == "CNY":
        a, b = num(lo / 1e9), num(hi / 1e9)
        forms = [f"{a} billion to {b} billion yuan", f"RMB{a}-{b} billion",
                 f"between {a} billion and {b} billion yuan"]
    else:
        a, b = num(lo / 1e9), num(hi / 1e9)
        forms = [f"${a}-{b} billion", f"${a} billion to ${b} billion", f"${a}-${b} billion",
                 f"${a}B-${b}B", f"US${a}-{b} billion", f"${a}–{b} billion",
                 f"${a} to ${b} billion", f"${a}bn-${b}bn",
                 f"between ${a} billion and ${b} billion", f"between ${a} and ${b} billion"]
        if ctx == "be":
            forms += [f"in the range of ${a} billion to ${b} billion",
                      f"in the range of ${a} to ${b} billion"]
        if ctx == "to":
            forms += [f"a range of ${a} billion to ${b} billion", f"a range of ${a}-{b} billion"]
    return g.pick(forms)


def amount(g: G, m: Amt, ctx: str = "of") -> str:
    """An amount as the object of "of", "to", "at", "be" or a verb ("spend X")."""
    if m.form == "range":
        assert m.b is not None
        return span(g, m.a, m.b, m.cur, ctx)
    figure = money(g, m.a, m.cur)
    if m.form == "approx":
        words = ["about", "approximately", "roughly", "around"]
        if ctx in ("obj", "of"):
            words.append("some")
        return f"{g.pick(words)} {figure}"
    if m.form == "min":
        return f"{g.pick(('more than', 'over', 'at least', 'in excess of'))} {figure}"
    if m.form == "max":
        return f"{'as much as' if ctx == 'to' else g.pick(('up to', 'as much as'))} {figure}"
    return figure


# --- periods -------------------------------------------------------------------------------


def yr_adj(g: G, co: Co, fy: int, rel: str | None) -> str:
    """Before a noun after "its": "2026", "fiscal 2026", "full-year" (the current year)."""
    if co.calendar_year:
        opts = [str(fy), str(fy), f"full-year {fy}"]
    else:
        opts = [f"fiscal {fy}", f"fiscal {fy}", f"fiscal-year {fy}", f"FY{fy % 100}",
                f"fiscal {fy % 100}"]
    if rel == "this":
        opts += ["full-year", "current-year" if co.calendar_year else "current fiscal year"]
    return g.pick(opts)


def yr_for(g: G, co: Co, fy: int, rel: str | None) -> str:
    """After "for": "2026", "fiscal 2026", "this year", "the current fiscal year"."""
    if co.calendar_year:
        opts = [str(fy), str(fy), f"full-year {fy}", f"the full year {fy}"]
        if rel == "this":
            opts += ["this year", "the current year", "the full year"]
        if rel == "next":
            opts += ["next year", "next year"]
    else:
        opts = [f"fiscal {fy}", f"fiscal year {fy}", f"its fiscal {fy}", f"FY{fy % 100}",
                f"the fiscal year ending {MONTHS[co.fy_end - 1]} {fy}"]
        if rel == "this":
            opts += ["this fiscal year", "the current fiscal year", "the full fiscal year"]
        if rel == "next":
            opts += ["next fiscal year", "the next fiscal year"]
    return g.pick(opts)


def yr_adv(g: G, co: Co, fy: int, rel: str | None) -> str:
    """Standing alone after a verb phrase: "in 2026", "this year", "in fiscal 2026"."""
    phrase = yr_for(g, co, fy, rel)
    if phrase.startswith(("this", "next")):
        return phrase
    return g.pick(("in", "for")) + " " + phrase


def q_noun(g: G, co: Co, fy: int, q: int, relative: bool = True) -> str:
    """A quarter after "in"/"for", with its article; relative forms only for the quarter last
    completed at the document's date."""
    o = ORD[q - 1]
    months = quarter_months(fy, q, co.fy_end)
    m1, m3 = MONTHS[months[0][1] - 1], MONTHS[months[2][1] - 1]
    end = quarter_end(fy, q, co.fy_end)
    if co.calendar_year:
        opts = [f"the {o} quarter of {fy}", f"Q{q} {fy}", f"the {o} quarter of {fy}"]
        rel = [f"the {o} quarter", f"the {o} quarter", f"Q{q}", f"the {m1}-{m3} quarter",
               f"the {m3} quarter"]
    else:
        opts = [f"the {o} quarter of fiscal {fy}", f"fiscal Q{q} {fy}",
                f"the fiscal {fy} {o} quarter", f"Q{q} of fiscal {fy}",
                f"the {o} quarter of fiscal year {fy}", f"its fiscal {o} quarter of {fy}"]
        rel = [f"the fiscal {o} quarter", f"its fiscal {o} quarter",
               f"the quarter ended {m3} {end.day}", f"the {m1}-{m3} quarter",
               f"the {o} quarter of its fiscal year"]
    return g.pick(opts + rel if relative else opts)


def q_adj(g: G, co: Co, fy: int, q: int) -> str:
    """Before a noun: "third-quarter", "fiscal first-quarter", "Q3"; relative."""
    o = ORD[q - 1]
    if co.calendar_year:
        return g.pick((f"{o}-quarter", f"{o}-quarter", f"Q{q}", f"Q{q} {fy}"))
    return g.pick((f"fiscal {o}-quarter", f"fiscal Q{q}", f"fiscal {fy} {o}-quarter"))


def weekday(d) -> str:
    return d.strftime("%A")


# --- metric nouns --------------------------------------------------------------------------

FORECAST_NOUN = [
    "capex guidance", "capital expenditure forecast", "capital-expenditure guidance",
    "capital expenditures forecast", "capital spending forecast", "capital spending plan",
    "capex forecast", "capex outlook", "capital expenditure outlook", "capital-spending outlook",
    "capex plan", "spending guidance on capital expenditures", "capex projection",
    "forecast for capital expenditures", "outlook for capital spending",
]
CAPEX_NOUN = ["capital expenditures", "capex", "capital spending", "capital expenditures",
              "capex", "capital investments"]
RAISE = ["raised", "lifted", "upped", "hiked", "bumped up", "boosted", "increased", "raised",
         "lifted"]
LOWER = ["cut", "lowered", "trimmed", "reduced", "slashed", "lowered", "pared back"]
KEEP = ["reaffirmed", "reiterated", "maintained", "stuck to", "stood by", "confirmed"]
TAILS = ["", "", "", ", citing demand for AI computing capacity",
         " as it pours money into data centers", ", sending its shares lower in extended trading",
         " as it races to build out artificial-intelligence infrastructure",
         ", the company said in a statement", " on the back of strong cloud demand"]


def forecast_noun(g: G, co: Co, fy: int, rel: str | None) -> str:
    """ "2026 capex guidance" or "capex guidance for 2026"."""
    noun = g.pick(FORECAST_NOUN)
    if noun.startswith(("forecast for", "outlook for", "spending guidance")) or g.chance(0.35):
        return f"{noun} for {yr_for(g, co, fy, rel)}"
    return f"{yr_adj(g, co, fy, rel)} {noun}"


# --- company guidance, first person --------------------------------------------------------


def _attribute(g: G, co: Co, quote: str) -> str:
    n = name(g, co)
    quote = quote[0].upper() + quote[1:]
    form = g.pick(range(6))
    if form == 0:
        return f'{n} said in its quarterly earnings release: "{quote}."'
    if form == 1:
        return f'"{quote}," {poss(co)} chief financial officer said on the earnings call.'
    if form == 2:
        return f'{poss(co)} CFO told analysts on a conference call: "{quote}."'
    if form == 3:
        return f'"{quote}," {n} said.'
    if form == 4:
        return f'In prepared remarks, {poss(co)} finance chief said: "{quote}."'
    return f'{n} wrote in its shareholder letter: "{quote}."'


def _first_person(g: G, change: str | None) -> tuple[str, Co, Amt, object]:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    adj = yr_adj(g, co, fy, rel)
    adv = yr_adv(g, co, fy, rel)
    noun = g.pick(("capital expenditures", "capital expenditures", "capex", "CapEx",
                   "capital expenditures, including finance leases,"))
    plain = g.pick(("capital expenditures", "capex", "CapEx"))
    if change is None:
        forms = [
            f"we expect {adj} {noun} to be {amount(g, m, 'be')}",
            f"we anticipate {adj} {plain} of {amount(g, m)}",
            f"for {yr_for(g, co, fy, rel)}, we expect {plain} of {amount(g, m)}",
            f"we expect to invest {amount(g, m, 'obj')} in {plain} {adv}",
            f"we plan to spend {amount(g, m, 'obj')} on capital expenditures {adv}",
            f"our outlook for {adj} capital expenditures is {amount(g, m, 'be')}",
            f"we are guiding to {adj} capital expenditures of {amount(g, m)}",
            f"we expect our {adj} capital expenditures to be {amount(g, m, 'be')}",
        ]
    elif change == "raised":
        forms = [
            f"we are raising our {adj} capital expenditure outlook to {amount(g, m, 'to')}",
            f"we are increasing our {adj} capex guidance to {amount(g, m, 'to')}",
            f"we now expect {adj} {noun} to be {amount(g, m, 'be')}, higher than our "
            "previous outlook",
            f"we're raising our capital expenditures forecast for {yr_for(g, co, fy, rel)} to "
            f"{amount(g, m, 'to')}",
            f"we now expect to invest {amount(g, m, 'obj')} in capex {adv}, an increase from "
            "our prior outlook",
        ]
    elif change == "lowered":
        forms = [
            f"we are lowering our {adj} capital expenditures outlook to {amount(g, m, 'to')}",
            f"we are reducing our {adj} capex guidance to {amount(g, m, 'to')}",
            f"we now expect {adj} {noun} to be {amount(g, m, 'be')}, below our prior outlook",
            f"we are trimming our capital spending plan for {yr_for(g, co, fy, rel)} to "
            f"{amount(g, m, 'to')}",
        ]
    else:
        forms = [
            f"we continue to expect {adj} {plain} of {amount(g, m)}",
            f"we still expect to spend {amount(g, m, 'obj')} on capital expenditures {adv}",
            f"we are reaffirming our {adj} capex outlook of {amount(g, m)}",
            f"our {adj} capital expenditure guidance of {amount(g, m)} is unchanged",
            f"we continue to expect {plain} {adv} to be {amount(g, m, 'be')}",
        ]
    return _attribute(g, co, g.pick(forms)), co, m, (d, period(fy))


def _first_person_draft(g: G, change: str | None) -> Draft:
    text, co, m, (d, per) = _first_person(g, change)
    return Draft(text, d, (guidance(co, per, m, change),))


EN.variants(
    "guidance", "first_person", _first_person_draft, (None, None, "raised", "lowered", "reaffirmed")
)


@t("guidance")
def first_person_quarter(g: G) -> Draft:
    """Guidance for the current quarter, given when the previous one is reported."""
    co = g.company({k: NAMES[k] for k in ("MSFT", "GOOGL", "META", "AMZN", "ORCL", "CRWV")},
                   "quarter")
    fy, q, d = g.reported_quarter(co)
    fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
    m = g.amt(co, "quarter", (("point", 1), ("approx", 2), ("min", 1), ("range", 1)))
    o = ORD[q - 1]
    if co.calendar_year:
        qn, qa = g.pick((f"the {o} quarter", f"Q{q}")), g.pick((f"{o}-quarter", f"Q{q}"))
    else:
        qn, qa = f"the fiscal {o} quarter", g.pick((f"fiscal {o}-quarter", f"fiscal Q{q}"))
    quote = g.pick((
        f"for {qn}, we expect capital expenditures to be {amount(g, m, 'be')}",
        f"we expect {qa} capex of {amount(g, m)}",
        f"in {qn}, we expect capital expenditures to be {amount(g, m, 'be')}",
    ))
    return Draft(_attribute(g, co, quote), d, (guidance(co, period(fy, q), m),))


# --- news reports of guidance --------------------------------------------------------------


def _news(g: G, verb_kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    n = name(g, co)
    change = {"raise": "raised", "lower": "lowered", "keep": "reaffirmed"}.get(verb_kind)
    fc = forecast_noun(g, co, fy, rel)
    tail = g.pick(TAILS)
    day = f" on {weekday(d)}" if g.chance(0.3) else ""
    if verb_kind in ("raise", "lower"):
        v = g.pick(RAISE if verb_kind == "raise" else LOWER)
        form = g.pick(range(5))
        if form == 0:
            text = f"{n}{day} {v} its {fc} to {amount(g, m, 'to')}{tail}."
        elif form == 1:
            text = f"{poss(co)} {fc} was {v} to {amount(g, m, 'to')}{tail}."
        elif form == 2:
            text = f"On {weekday(d)}, {n} {v} its {fc} to {amount(g, m, 'to')}."
        elif form == 3:
            lead = g.pick(("Citing surging demand for AI services", "In its earnings report",
                           "Along with its quarterly results", "In a regulatory filing"))
            text = f"{lead}, {n} {v} its {fc} to {amount(g, m, 'to')}."
        else:
            hv = {"raised": "raises", "lifted": "lifts", "upped": "ups", "hiked": "hikes",
                  "bumped up": "bumps up", "boosted": "boosts", "increased": "increases",
                  "cut": "cuts", "lowered": "lowers", "trimmed": "trims", "reduced": "reduces",
                  "slashed": "slashes", "pared back": "pares back"}[v]
            text = f"{n} {hv} {fc} to {amount(g, m, 'to')}"
    elif verb_kind == "keep":
        v = g.pick(KEEP)
        form = g.pick(range(4))
        if form == 0:
            text = f"{n}{day} {v} its {fc} of {amount(g, m)}{tail}."
        elif form == 1:
            text = f"{n} kept its {fc} unchanged at {amount(g, m, 'at')}."
        elif form == 2:
            text = f"{n} held its {fc} steady at {amount(g, m, 'at')}{tail}."
        else:
            text = (f"{n} {v} its forecast of {amount(g, m)} in "
                    f"{yr_adj(g, co, fy, rel)} capital spending.")
    else:
        noun = g.pick(CAPEX_NOUN)
        adv = yr_adv(g, co, fy, rel)
        adj = yr_adj(g, co, fy, rel)
        form = g.pick(range(9))
        if form == 0:
            text = f"{n} said it expects {adj} {noun} of {amount(g, m)}{tail}."
        elif form == 1:
            text = f"{n} said it expects to spend {amount(g, m, 'obj')} on {noun} {adv}."
        elif form == 2:
            text = f"{n} plans to invest {amount(g, m, 'obj')} in capital expenditures {adv}, "\
                   "the company said."
        elif form == 3:
            text = f"{n}{day} forecast {adj} {noun} of {amount(g, m)}{tail}."
        elif form == 4:
            text = f"{n} sees {adj} capex at {amount(g, m, 'at')}"
        elif form == 5:
            text = f"{n} expects {noun} of {amount(g, m)} {adv}, it said in a statement."
        elif form == 6:
            text = f"{adv[0].upper()}{adv[1:]}, {n} expects to spend {amount(g, m, 'obj')} on "\
                   f"{noun}{tail}."
        elif form == 7:
            text = f"{n} projected {adj} capital expenditures of {amount(g, m)}, "\
                   "above what analysts had expected."
        else:
            text = f"{n} told investors it will spend {amount(g, m, 'obj')} on capital "\
                   f"expenditures {adv}."
    if text[0].islower():
        text = text[0].upper() + text[1:]
    return Draft(text, d, (guidance(co, period(fy), m, change),))


EN.variants("news", "news", _news, ("set", "set", "raise", "raise", "lower", "keep"))


@t("news")
def news_figure_first(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("approx", 1), ("range", 2), ("max", 1)))
    s = amount(g, m, "obj")
    s = s[0].upper() + s[1:]
    text = g.pick((
        f"{s}: that is how much {name(g, co)} expects to spend on capital expenditures "
        f"{yr_adv(g, co, fy, rel)}.",
        f"{s} in capital expenditures is what {name(g, co)} has budgeted for "
        f"{yr_for(g, co, fy, rel)}.",
    ))
    return Draft(text, d, (guidance(co, period(fy), m),))


# --- revisions with the prior stated ----------------------------------------------------------


def _prior_text(g: G, p: Amt) -> str:
    return amount(g, p, "to")


@t("prior")
def prior_after_news(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    v = g.pick(RAISE if up else LOWER)
    fc = forecast_noun(g, co, fy, rel)
    p = _prior_text(g, old)
    trail = g.pick((
        f" from {p}", f", from {p} previously", f" from a previous forecast of {p}",
        f", compared with {p} previously", f" from its earlier estimate of {p}",
        f", versus {p} previously", f" from {p} forecast three months ago",
        (f", up from a prior outlook of {p}" if up else f", down from a prior outlook of {p}"),
    ))
    text = f"{name(g, co)} {v} its {fc} to {amount(g, new, 'to')}{trail}."
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


@t("prior")
def prior_before_news(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    v = g.pick(RAISE if up else LOWER)
    fc = forecast_noun(g, co, fy, rel)
    form = g.pick(range(3))
    if form == 0:
        text = f"{name(g, co)} {v} its {fc} from {_prior_text(g, old)} to "\
               f"{amount(g, new, 'to')}."
    elif form == 1:
        text = f"{poss(co)} {fc} was {v} from {_prior_text(g, old)} to {amount(g, new, 'to')}."
    else:
        dirn = "higher" if up else "lower"
        text = f"Having forecast {_prior_text(g, old)} in its previous outlook, {name(g, co)} "\
               f"now expects {yr_adj(g, co, fy, rel)} capital expenditures of "\
               f"{amount(g, new)}, {g.pick(('well', 'sharply', 'slightly'))} {dirn}."
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


@t("prior")
def prior_first_person(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    adj = yr_adj(g, co, fy, rel)
    p = _prior_text(g, old)
    if up:
        quote = g.pick((
            f"we now expect {adj} capital expenditures to be {amount(g, new, 'be')}, up from "
            f"our prior outlook of {p}",
            f"we anticipate our full year {fy} capital expenditures, including principal "
            f"payments on finance leases, to be {amount(g, new, 'be')}, increased from our "
            f"prior outlook of {p}",
            f"we are raising our {adj} capex outlook from {p} to {amount(g, new, 'to')}",
            f"we now expect to invest {amount(g, new, 'obj')} in capex "
            f"{yr_adv(g, co, fy, rel)}, up from our previous estimate of {p}",
        ))
        if "full year" in quote and not co.calendar_year:
            quote = quote.replace(f"full year {fy}", f"fiscal {fy}")
    else:
        quote = g.pick((
            f"we now expect {adj} capital expenditures to be {amount(g, new, 'be')}, down from "
            f"our prior outlook of {p}",
            f"we are lowering our {adj} capex outlook from {p} to {amount(g, new, 'to')}",
            f"we now expect {adj} capex of {amount(g, new)}, reduced from our previous "
            f"estimate of {p}",
        ))
    return Draft(_attribute(g, co, quote), d,
                 (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


@t("prior")
def prior_up_from(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.6)
    new, old = g.revision(co, up, with_range=False)
    month = MONTHS[(d.month - 4) % 12]
    dirn = "up" if up else "down"
    text = g.pick((
        f"{name(g, co)} now expects {yr_adj(g, co, fy, rel)} capex of {amount(g, new)}, "
        f"{dirn} from the {_prior_text(g, old)} it forecast in {month}.",
        f"{poss(co)} new {yr_adj(g, co, fy, rel)} capital expenditure forecast of "
        f"{amount(g, new)} is {dirn} from {_prior_text(g, old)}.",
    ))
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


# --- actuals -------------------------------------------------------------------------------

CAPEX_WAS = ["capital expenditures were", "capex was", "capital expenditures came in at",
             "capital spending totaled", "capital expenditures totaled", "capex rose to",
             "capital expenditures, including finance leases, were",
             "purchases of property and equipment were"]


def _act(g: G, metric: str = "quarter") -> tuple[Co, int, int, object, str, int]:
    co = g.company(NAMES, metric)
    fy, q, d = g.reported_quarter(co)
    v = g.value(co, metric)
    return co, fy, q, d, q_noun(g, co, fy, q), v


@t("actual")
def actual_capex_quarter(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    n = name(g, co)
    form = g.pick(range(6))
    if form == 0:
        text = f"{poss(co)} {g.pick(CAPEX_WAS)} {money(g, v, co.cur)} in {qn}."
    elif form == 1:
        text = f"{n} spent {money(g, v, co.cur)} on {g.pick(CAPEX_NOUN)} in {qn}, "\
               f"up {g.pick((23, 35, 48, 61, 74, 83))}% from a year earlier."
    elif form == 2:
        text = f"In {qn}, {poss(co)} capex came in at {money(g, v, co.cur)}."
    elif form == 3:
        text = f"{n} reported {q_adj(g, co, fy, q)} capital expenditures of "\
               f"{money(g, v, co.cur)}."
    elif form == 4:
        text = f"Capital expenditures were {money(g, v, co.cur)} for {qn}, {n} said."
    else:
        text = f"{n} said its {q_adj(g, co, fy, q)} capex totaled {money(g, v, co.cur)}, "\
               "more than analysts had expected."
    return Draft(text[0].upper() + text[1:], d, (actual(co, period(fy, q), v),))


@t("actual")
def actual_capex_year_ago(g: G) -> Draft:
    """A year-ago comparison figure is an actual of its own (labelling README)."""
    co, fy, q, d, qn, v = _act(g)
    v0 = int(v * g.pick((0.55, 0.6, 0.7, 0.8))) // 10**7 * 10**7
    text = g.pick((
        f"{poss(co)} capital expenditures rose to {money(g, v, co.cur)} in {qn} from "
        f"{money(g, v0, co.cur)} a year earlier.",
        f"{name(g, co)} spent {money(g, v, co.cur)} on capex in {qn}, compared with "
        f"{money(g, v0, co.cur)} in the year-ago quarter.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v), actual(co, period(fy - 1, q), v0)))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "ocf")
    n = name(g, co)
    text = g.pick((
        f"{n} generated {money(g, v, co.cur)} in operating cash flow in {qn}.",
        f"Operating cash flow was {money(g, v, co.cur)} for {qn}, {n} said.",
        f"{poss(co)} net cash provided by operating activities was {money(g, v, co.cur)} "
        f"in {qn}.",
        f"{n} reported cash flow from operations of {money(g, v, co.cur)} for {qn}.",
        f"In {qn}, {poss(co)} operating cash flow rose to {money(g, v, co.cur)}.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v, "ocf"),))


@t("actual")
def actual_capex_and_ocf(g: G) -> Draft:
    co = g.company({k: v for k, v in NAMES.items() if COMPANIES[k].ocf}, "quarter")
    fy, q, d = g.reported_quarter(co)
    v1, v2 = g.value(co, "quarter"), g.value(co, "ocf")
    qn = q_noun(g, co, fy, q)
    text = g.pick((
        f"{poss(co)} capital expenditures were {money(g, v1, co.cur)} in {qn}, while "
        f"operating cash flow was {money(g, v2, co.cur)}.",
        f"In {qn}, {name(g, co)} generated operating cash flow of {money(g, v2, co.cur)} and "
        f"spent {money(g, v1, co.cur)} on capital expenditures.",
    ))
    p = period(fy, q)
    return Draft(text, d, (actual(co, p, v1), actual(co, p, v2, "ocf")))


RPO_SUBJECT = {
    "MSFT": ["Microsoft's commercial remaining performance obligation",
             "Microsoft's commercial RPO"],
    "ORCL": ["Oracle's remaining performance obligations", "Oracle's RPO",
             "Remaining performance obligations at Oracle"],
    "GOOGL": ["Google Cloud's backlog", "Alphabet's cloud backlog", "The Google Cloud backlog"],
    "AMZN": ["The AWS backlog", "Amazon's AWS backlog", "Amazon Web Services' backlog"],
    "CRWV": ["CoreWeave's revenue backlog", "CoreWeave's remaining performance obligations"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "rpo")
    subj = g.pick(RPO_SUBJECT[co.id])
    verb = g.pick(("rose to", "climbed to", "reached", "jumped to", "stood at", "increased to"))
    low = subj[0].lower() + subj[1:] if subj.startswith("The") else subj
    text = g.pick((
        f"{subj} {verb} {money(g, v, co.cur)} at the end of {qn}.",
        f"At the end of {qn}, {low} {verb} {money(g, v, co.cur)}.",
        f"{subj} {verb} {money(g, v, co.cur)} in {qn}, the company said.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v, "rpo"),))


@t("actual")
def actual_capex_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = fy_of(d, co.fy_end) - 1
    if fy < 2024 or fy > 2025:
        fy = 2024
        d = d.replace(year=2025)
    v = g.value(co, "year")
    n = name(g, co)
    last = fy == fy_of(d, co.fy_end) - 1
    if co.calendar_year:
        when = g.pick([f"in {fy}", f"for full-year {fy}"] + (["last year"] if last else []))
    else:
        when = g.pick([f"in fiscal {fy}", f"for fiscal year {fy}"]
                      + (["in its last fiscal year"] if last else []))
    text = g.pick((
        f"{n} spent {money(g, v, co.cur)} on capital expenditures {when}.",
        f"{poss(co)} capex totaled {money(g, v, co.cur)} {when}, the company reported.",
        f"Capital expenditures at {n} reached {money(g, v, co.cur)} {when}.",
    ))
    return Draft(text, d, (actual(co, period(fy), v),))


# --- estimates -------------------------------------------------------------------------------


@t("estimate")
def estimate_analysts(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n = name(g, co)
    adv, adj = yr_adv(g, co, fy, rel), yr_adj(g, co, fy, rel)
    bank = g.pick(BANKS)
    form = g.pick(range(8))
    if form == 0:
        text = f"Analysts expect {n} to spend {amount(g, m, 'obj')} on capital expenditures {adv}."
    elif form == 1:
        text = f"Wall Street expects {poss(co)} {adj} capex to reach {amount(g, m, 'obj')}, "\
               f"according to {g.pick(DATA)}."
    elif form == 2:
        text = f"Analysts polled by Visible Alpha had expected {adj} capital spending of "\
               f"{amount(g, m)} at {n}."
    elif form == 3:
        text = f"{bank} estimates that {n} will spend {amount(g, m, 'obj')} on capex {adv}."
    elif form == 4:
        text = f"{bank} analysts forecast {poss(co)} capital expenditures at "\
               f"{amount(g, m, 'at')} for {yr_for(g, co, fy, rel)}."
    elif form == 5:
        text = f"The consensus estimate for {poss(co)} {adj} capital expenditures is "\
               f"{amount(g, m, 'be')}, per {g.pick(DATA)}."
    elif form == 6:
        text = f"According to {bank}, {poss(co)} capex could reach {amount(g, m, 'obj')} {adv}."
    else:
        text = f"{bank} projects {adj} capital expenditures of {amount(g, m)} for {n}, "\
               "citing its data-center pipeline."
    return Draft(text, d, (estimate(co, period(fy), m),))


@t("estimate")
def estimate_beside_guidance(g: G) -> Draft:
    """The company's forecast and the analysts' one for the same, stated, year."""
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2), ("approx", 1)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    yf = yr_for(g, co, fy, rel)
    text = g.pick((
        f"{name(g, co)} forecast capital expenditures of {amount(g, m)} for {yf}, above the "
        f"{money(g, e.a, co.cur)} analysts had expected for {yf}.",
        f"{name(g, co)} said it expects capex of {amount(g, m)} in {yf}; analysts on average "
        f"had estimated {money(g, e.a, co.cur)} for {yf}, according to {g.pick(DATA)}.",
    ))
    text = text.replace("in this", "this").replace("in next", "next")
    p = period(fy)
    return Draft(text, d, (guidance(co, p, m), estimate(co, p, e)))


# --- discourse ---------------------------------------------------------------------------------


@t("discourse")
def discourse_epithet(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    rev = g.value(co, "year") * g.pick((2, 3)) // 10**8 * 10**8
    cur = co.cur
    first = g.pick((
        f"{name(g, co)} reported quarterly results on {weekday(d)} that beat expectations.",
        f"{name(g, co)} posted quarterly revenue of {money(g, rev, cur)}.",
        f"Shares of {SHORT[co.id]} rose in extended trading after the results.",
    ))
    who = g.pick(EPITHET[co.id] + ["the company"])
    up = g.chance(0.5)
    second = g.pick((
        f"{who[0].upper()}{who[1:]} also {'raised' if up else 'set'} its "
        f"{forecast_noun(g, co, fy, rel)} {'to' if up else 'at'} "
        f"{amount(g, m, 'to' if up else 'at')}.",
    ))
    change = "raised" if up else None
    if first.startswith("Shares"):
        first = first.replace(SHORT[co.id], name(g, co))
    return Draft(f"{first} {second}", d, (guidance(co, period(fy), m, change),))


@t("discourse")
def discourse_pronoun(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    text = (f"{name(g, co)} is spending heavily on data centers to meet demand for AI. "
            f"It said on {weekday(d)} that it expects capital expenditures of {amount(g, m)} "
            f"{yr_adv(g, co, fy, rel)}.")
    return Draft(text, d, (guidance(co, period(fy), m),))


@t("discourse")
def discourse_headline(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.5)
    if up:
        new, old = g.revision(co, True)
    else:
        new, old = g.amt(co, forms=(("point", 1), ("range", 2), ("approx", 1))), None
    n = SHORT[co.id]
    yr = str(fy) if co.calendar_year else f"fiscal {fy}"
    if up:
        head = g.pick((f"{n} lifts {yr} capex forecast as AI spending accelerates",
                       f"{n} raises capital spending outlook",
                       f"UPDATE 2-{n} boosts {yr} capex guidance, shares rise"))
        body = (f"{name(g, co)} on {weekday(d)} raised its {yr_adj(g, co, fy, rel)} capital "
                f"expenditure forecast to {amount(g, new, 'to')} from {_prior_text(g, old)}.")
        exp = guidance(co, period(fy), new, "raised", old)
    else:
        head = g.pick((f"{n} sees {yr} capex of {amount(g, new, 'of')}",
                       f"{n} to spend heavily on AI data centers in {yr}"))
        body = (f"{name(g, co)} said on {weekday(d)} it expects capital expenditures of "
                f"{amount(g, new)} {yr_adv(g, co, fy, rel)}.")
        exp = guidance(co, period(fy), new)
    sep = g.pick(("\n\n", "\n"))
    return Draft(f"{head}{sep}{body}", d, (exp,))


@t("discourse")
def discourse_two_companies(g: G) -> Draft:
    cal = {k: v for k, v in NAMES.items() if COMPANIES[k].calendar_year}
    a = g.company(cal, "guides")
    b = g.company({k: v for k, v in cal.items() if k != a.id}, "guides")
    d = g.guidance_date()
    fy = d.year
    ma, mb = g.amt(a), g.amt(b)
    text = (f"{name(g, a)} expects capital expenditures of {amount(g, ma)} in {fy}. "
            f"Rival {name(g, b)} said it would spend {amount(g, mb, 'obj')} on capital "
            "expenditures this year.")
    return Draft(text, d, (guidance(a, period(fy), ma), guidance(b, period(fy), mb)))


# --- negatives ---------------------------------------------------------------------------------

PLACES = ["Louisiana", "Wisconsin", "Pennsylvania", "Ohio", "Texas", "Indiana", "Georgia",
          "North Carolina", "Mississippi", "Arizona"]
COUNTRIES = ["India", "Japan", "Spain", "Germany", "Mexico", "Brazil", "Australia", "Italy"]


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n = name(g, co)
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    qn = q_noun(g, co, fy, q)
    fy_next = fy_of(d, co.fy_end) + 1
    yf = str(fy_next) if co.calendar_year else f"fiscal {fy_next}"
    text = g.pick((
        f"{n} reported {q_adj(g, co, fy, q)} revenue of {big}, ahead of estimates.",
        f"{n} forecast revenue of {big} for the current quarter.",
        f"{poss(co)} board authorized an additional {mid} in share repurchases.",
        f"{n} announced a {mid} stock buyback program and raised its dividend.",
        f"{n} sold {mid} of bonds on {weekday(d)} to help fund its data-center build-out.",
        f"{n} raised {mid} in a bond sale to finance its capital spending.",
        f"{n} agreed to acquire a cybersecurity startup for {small} in cash.",
        f"{n} said it will invest {small} to build a data center in {g.pick(PLACES)}.",
        f"{n} plans to spend {small} on a new AI campus in {g.pick(PLACES)}, the state's "
        "governor said.",
        f"{n} will invest {small} in {g.pick(COUNTRIES)} over the next five years to expand "
        "its cloud infrastructure.",
        f"{n} ended {qn} with {big} in cash and marketable securities.",
        f"{n} said capital expenditures would grow significantly in {yf}, without giving a "
        "figure.",
        f"{poss(co)} capex guidance came in {small} above Wall Street's forecast.",
        f"{n} raised its capex forecast by {small}.",
        f"{poss(co)} capital expenditures were up {small} from a year earlier in {qn}.",
        f"{n} targets {big} in cloud revenue by {yf}.",
        f"{poss(co)} free cash flow fell to {small} in {qn} as spending rose.",
        f"{poss(co)} operating income rose to {mid} in {qn}.",
        f"Depreciation expense climbed to {small} in {qn}, {n} said.",
        f"{poss(co)} capital expenditures rose 60% year over year in {qn}.",
        f"{n} expects capex to increase meaningfully in {yf} as it builds more data centers.",
        f"{poss(co)} net income rose to {mid} in {qn}.",
    ))
    return Draft(text[0].upper() + text[1:], d, ())
