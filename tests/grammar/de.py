"""German: dpa/Reuters-Deutschland-style reports (erhöht/angehoben/gesenkt/bestätigt), quoted
executives, analysts' estimates, amounts in Milliarden (US-)Dollar, Mrd., Billionen Won,
fiscal years as "Geschäftsjahr 2025/26"."""

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

DE = Language("de")
t = DE.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["Microsoft", "der Softwarekonzern Microsoft"],
    "GOOGL": ["Alphabet", "Google", "die Google-Mutter Alphabet"],
    "META": ["Meta", "der Facebook-Konzern Meta", "Meta Platforms"],
    "AMZN": ["Amazon", "der Onlinehändler Amazon"],
    "AAPL": ["Apple"],
    "ORCL": ["Oracle", "der Softwarekonzern Oracle"],
    "NVDA": ["Nvidia", "der Chipkonzern Nvidia"],
    "TSM": ["TSMC", "der taiwanische Chipfertiger TSMC"],
    "INTC": ["Intel", "der Chipkonzern Intel"],
    "CRWV": ["CoreWeave"],
    "BABA": ["Alibaba", "der chinesische Konzern Alibaba"],
    "0700.HK": ["Tencent"],
    "BIDU": ["Baidu"],
    "BYTEDANCE": ["ByteDance", "der Tiktok-Eigentümer ByteDance"],
    "005930.KS": ["Samsung Electronics", "Samsung"],
    "000660.KS": ["SK Hynix", "der Speicherchiphersteller SK Hynix"],
}
BANKS = ["Morgan Stanley", "Goldman Sachs", "JPMorgan", "der Deutschen Bank", "Bernstein", "UBS"]
ORD = ["ersten", "zweiten", "dritten", "vierten"]
TAGE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def name(g: G, co: Co, start: bool = False) -> str:
    n = g.pick(NAMES[co.id])
    return n[0].upper() + n[1:] if start else n


def dative(n: str) -> str:
    """ "von der Softwarekonzern Microsoft" -> "vom Softwarekonzern Microsoft"."""
    if n.startswith("der "):
        return "dem " + n[4:]
    if n.startswith("die "):
        return "der " + n[4:]
    return n


def von(n: str) -> str:
    d = dative(n)
    return "vom " + d[4:] if d.startswith("dem ") else "von " + d


# --- numbers -------------------------------------------------------------------------------


def _de(x: float) -> str:
    s = f"{x:,.2f}".rstrip("0").rstrip(".")
    return s.replace(",", "§").replace(".", ",").replace("§", ".")


def _unit(g: G, cur: str) -> str:
    if cur == "KRW":
        return "Billionen Won"
    if cur == "CNY":
        return g.pick(("Milliarden Yuan", "Mrd. Yuan"))
    return g.weighted((("Milliarden Dollar", 4), ("Milliarden US-Dollar", 3), ("Mrd. Dollar", 1),
                       ("Mrd. US-Dollar", 1)))


def _scale(v: int, cur: str) -> str:
    return _de(v / 1e12) if cur == "KRW" else _de(v / 1e9)


def money(g: G, v: int, cur: str) -> str:
    return f"{_scale(v, cur)} {_unit(g, cur)}"


def span(g: G, lo: int, hi: int, cur: str) -> str:
    a, b, u = _scale(lo, cur), _scale(hi, cur), _unit(g, cur)
    return g.pick((f"{a} bis {b} {u}", f"{a} bis {b} {u}", f"zwischen {a} und {b} {u}",
                   f"{a}-{b} {u}"))


def amount(g: G, m: Amt, ctx: str = "") -> str:
    """ctx "auf": after "auf" (raised to), where a range is not written "zwischen"."""
    if m.form == "range":
        assert m.b is not None
        s = span(g, m.a, m.b, m.cur)
        if ctx in ("auf", "von") and s.startswith("zwischen"):
            s = s[len("zwischen "):].replace(" und ", " bis ")
            s = "eine Spanne von " + s if ctx == "auf" else s
        return s
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"rund {x}", f"etwa {x}", f"ungefähr {x}", f"circa {x}"))
    if m.form == "min":
        return g.pick((f"mehr als {x}", f"über {x}", f"mindestens {x}"))
    if m.form == "max":
        return f"bis zu {x}"
    return x


def von_(g: G, m: Amt) -> str:
    return amount(g, m, "von")


# --- periods -------------------------------------------------------------------------------


def fuer(g: G, co: Co, fy: int, rel: str | None) -> str:
    """After "für": "2026", "das laufende Jahr", "das Geschäftsjahr 2025/26"."""
    if co.calendar_year:
        opts = [str(fy), str(fy), f"das Jahr {fy}", f"das Gesamtjahr {fy}"]
        if rel == "this":
            opts += ["das laufende Jahr", "dieses Jahr", "das Gesamtjahr"]
        if rel == "next":
            opts += ["das kommende Jahr", "nächstes Jahr"]
    else:
        opts = [f"das Geschäftsjahr {fy}", f"das Geschäftsjahr {fy - 1}/{fy % 100}",
                f"das im {_month(co)} {fy} endende Geschäftsjahr"]
        if rel == "this":
            opts += ["das laufende Geschäftsjahr"]
        if rel == "next":
            opts += ["das kommende Geschäftsjahr"]
    return g.pick(opts)


def im(g: G, co: Co, fy: int, rel: str | None) -> str:
    """An adverbial: "im Jahr 2026", "in diesem Jahr", "im Geschäftsjahr 2026"."""
    if co.calendar_year:
        opts = [f"im Jahr {fy}", f"{fy}", f"im Gesamtjahr {fy}"]
        if rel == "this":
            opts += ["in diesem Jahr", "im laufenden Jahr", "dieses Jahr"]
        if rel == "next":
            opts += ["im kommenden Jahr", "im nächsten Jahr"]
    else:
        opts = [f"im Geschäftsjahr {fy}", f"im Geschäftsjahr {fy - 1}/{fy % 100}"]
        if rel == "this":
            opts += ["im laufenden Geschäftsjahr"]
        if rel == "next":
            opts += ["im kommenden Geschäftsjahr"]
    return g.pick(opts)


def _month(co: Co) -> str:
    return ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
            "Oktober", "November", "Dezember"][co.fy_end - 1]


def quarter(g: G, co: Co, fy: int, q: int, case: str = "dat", relative: bool = True) -> str:
    """ "im dritten Quartal" (case dat, with its preposition) or "des dritten Quartals"."""
    o = ORD[q - 1]
    if case == "gen":
        if co.calendar_year:
            opts = [f"des {o} Quartals {fy}"]
            rel = [f"des {o} Quartals", "des abgelaufenen Quartals"]
        else:
            opts = [f"des {o} Quartals im Geschäftsjahr {fy}"]
            rel = [f"des {o} Geschäftsquartals", "des abgelaufenen Quartals"]
        return g.pick(opts + rel if relative else opts)
    ms = quarter_months(fy, q, co.fy_end)
    if co.calendar_year:
        opts = [f"im {o} Quartal {fy}", f"im {o} Quartal {fy}"]
        rel = [f"im {o} Quartal", "im abgelaufenen Quartal", f"im {o} Quartal",
               f"in den Monaten {_mn(ms[0][1])} bis {_mn(ms[2][1])}"]
    else:
        opts = [f"im {o} Quartal des Geschäftsjahres {fy}",
                f"im {o} Quartal des Geschäftsjahres {fy - 1}/{fy % 100}"]
        rel = [f"im {o} Geschäftsquartal", "im abgelaufenen Quartal",
               f"im Quartal bis Ende {_mn(ms[2][1])}"]
    return g.pick(opts + rel if relative else opts)


def _mn(m: int) -> str:
    return ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
            "Oktober", "November", "Dezember"][m - 1]


CAPEX = ["Investitionsausgaben", "Investitionen", "Kapitalausgaben", "Investitionsausgaben",
         "Sachinvestitionen"]
PROGNOSE = ["seine Prognose für die {c}", "seine {c}-Prognose", "seine Prognose für die {c}",
            "seine Planung für die {c}", "seinen Ausblick für die {c}"]


def prognose(g: G) -> str:
    c = g.pick(CAPEX)
    p = g.pick(PROGNOSE)
    if "{c}-" in p:
        c = {"Investitionsausgaben": "Investitions", "Investitionen": "Investitions",
             "Kapitalausgaben": "Capex", "Sachinvestitionen": "Investitions"}[c]
        p = p.replace("{c}-", "{c}")
        p = p.replace("Prognose", "prognose")
    return p.format(c=c)


# --- guidance, first person ----------------------------------------------------------------


def _quoted(g: G, change: str | None) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    f_, i_ = fuer(g, co, fy, rel), im(g, co, fy, rel)
    if change is None:
        s = g.pick((f"Wir erwarten für {f_} Investitionsausgaben von {von_(g, m)}",
                    f"Wir rechnen {i_} mit Investitionen in Höhe von {von_(g, m)}",
                    f"Für {f_} planen wir Investitionsausgaben von {von_(g, m)}"))
    elif change == "raised":
        s = g.pick((f"Wir heben unsere Prognose für die Investitionsausgaben {i_} auf "
                    f"{amount(g, m, 'auf')} an",
                    f"Wir erhöhen unseren Investitionsausblick für {f_} auf {amount(g, m, 'auf')}"))
    elif change == "lowered":
        s = g.pick((f"Wir senken unsere Prognose für die Investitionsausgaben {i_} auf "
                    f"{amount(g, m, 'auf')}",
                    f"Wir reduzieren unseren Investitionsausblick für {f_} auf "
                    f"{amount(g, m, 'auf')}"))
    else:
        s = g.pick((f"Wir gehen weiterhin von Investitionsausgaben in Höhe von {von_(g, m)} "
                    f"{i_} aus",
                    f"Wir bestätigen unsere Prognose von {von_(g, m)} für die Investitionen "
                    f"{i_}"))
    n = NAMES[co.id][0]
    text = g.pick((f"„{s}“, sagte der Finanzchef von {n} in einer Telefonkonferenz.",
                   f"Die {n}-Finanzchefin sagte: „{s}.“",
                   f"„{s}“, hieß es in einer Mitteilung von {n}."))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


DE.variants("guidance", "quoted", _quoted, (None, None, "raised", "lowered", "reaffirmed"))


# --- news ----------------------------------------------------------------------------------


def _news(g: G, kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    N, f_, i_ = name(g, co, True), fuer(g, co, fy, rel), im(g, co, fy, rel)
    H = NAMES[co.id][0]  # a headline names the company plainly: "Meta kappt ..."
    day = f" am {TAGE[d.weekday()]}" if g.chance(0.3) else ""
    change = {"up": "raised", "down": "lowered", "keep": "reaffirmed"}.get(kind)
    if kind == "up":
        text = g.pick((
            f"{N} hat{day} {prognose(g)} für {f_} auf {amount(g, m, 'auf')} angehoben.",
            f"{N} hat {prognose(g)} für {f_} auf {amount(g, m, 'auf')} erhöht.",
            f"{N} hob{day} {prognose(g)} für {f_} auf {amount(g, m, 'auf')} an.",
            f"{H} erhöht Investitionsprognose für {f_} auf {amount(g, m, 'auf')}",
            f"Angesichts der hohen Nachfrage nach KI-Rechenleistung hat {name(g, co)} "
            f"{prognose(g)} für {f_} auf {amount(g, m, 'auf')} angehoben.",
        ))
    elif kind == "down":
        text = g.pick((
            f"{N} hat{day} {prognose(g)} für {f_} auf {amount(g, m, 'auf')} gesenkt.",
            f"{N} senkte {prognose(g)} für {f_} auf {amount(g, m, 'auf')}.",
            f"{N} reduzierte {prognose(g)} für {f_} auf {amount(g, m, 'auf')}.",
            f"{H} kappt Investitionsprognose für {f_} auf {amount(g, m, 'auf')}",
        ))
    elif kind == "keep":
        text = g.pick((
            f"{N} bestätigte{day} {prognose(g)} für {f_} von {von_(g, m)}.",
            f"{N} bekräftigte seine Prognose von {von_(g, m)} für die Investitionen {i_}.",
            f"{N} hält an seiner Investitionsplanung von {von_(g, m)} für {f_} fest.",
            f"{N} hat {prognose(g)} für {f_} bestätigt: {amount(g, m)}.",
        ))
    else:
        text = g.pick((
            f"{N} erwartet{day} für {f_} Investitionsausgaben von {von_(g, m)}.",
            f"{N} rechnet {i_} mit Investitionen in Höhe von {von_(g, m)}.",
            f"{N} will {i_} {amount(g, m)} in Sachanlagen investieren.",
            f"{N} plant für {f_} Kapitalausgaben von {von_(g, m)}.",
            f"{N} veranschlagt die Investitionen für {f_} auf {amount(g, m, 'auf')}.",
            f"Für {f_} stellt {name(g, co)} Investitionsausgaben von {von_(g, m)} in Aussicht.",
        ))
    return Draft(text, d, (guidance(co, period(fy), m, change),))


DE.variants("news", "news", _news, ("set", "set", "up", "up", "down", "keep"))


# --- priors --------------------------------------------------------------------------------


@t("prior")
def prior(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    N, f_ = name(g, co, True), fuer(g, co, fy, rel)
    verb = g.pick(("angehoben", "erhöht")) if up else g.pick(("gesenkt", "reduziert"))
    a, pr = amount(g, new, "auf"), amount(g, old, "auf")
    text = g.pick((
        f"{N} hat {prognose(g)} für {f_} von {pr} auf {a} {verb}.",
        f"{N} hat {prognose(g)} für {f_} auf {a} {verb}, nach zuvor {pr}.",
        f"{N} hat {prognose(g)} für {f_} auf {a} {verb} (bisher: {pr}).",
        f"{N} hat {prognose(g)} für {f_} auf {a} {verb}; bislang waren {pr} veranschlagt.",
        f"{N} hat {prognose(g)} für {f_} auf {a} {verb} nach bisher {pr}.",
    ))
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


# --- actuals -------------------------------------------------------------------------------


def _act(g: G, what: str = "quarter"):
    co = g.company(NAMES, what)
    fy, q, d = g.reported_quarter(co)
    return co, fy, q, d, g.value(co, what), fy, q


@t("actual")
def actual_capex(g: G) -> Draft:
    co, fy, q, d, v, _, _ = _act(g)
    n, x, qn = name(g, co), money(g, v, co.cur), quarter(g, co, fy, q)
    text = g.pick((
        f"Die Investitionsausgaben {von(n)} lagen {qn} bei {x}.",
        f"{n[0].upper() + n[1:]} investierte {qn} {x}.",
        f"{n[0].upper() + n[1:]} gab {qn} {x} für Investitionen aus.",
        f"{qn[0].upper() + qn[1:]} beliefen sich die Kapitalausgaben {von(n)} auf {x}, ein Plus "
        f"von {g.pick((39, 56, 72))} Prozent.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v),))


@t("actual")
def actual_year_ago(g: G) -> Draft:
    co, fy, q, d, v, _, _ = _act(g)
    v0 = int(v * g.pick((0.55, 0.65, 0.75))) // 10**7 * 10**7
    text = (f"Die Investitionsausgaben {von(name(g, co))} stiegen {quarter(g, co, fy, q)} auf "
            f"{money(g, v, co.cur)}, nach {money(g, v0, co.cur)} im Vorjahresquartal.")
    return Draft(text, d, (actual(co, period(fy, q), v), actual(co, period(fy - 1, q), v0)))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, v, _, _ = _act(g, "ocf")
    n, x, qn = name(g, co), money(g, v, co.cur), quarter(g, co, fy, q)
    text = g.pick((f"Der operative Cashflow {von(n)} belief sich {qn} auf {x}.",
                   f"{n[0].upper() + n[1:]} erzielte {qn} einen operativen Cashflow von {x}.",
                   f"Der Mittelzufluss aus laufender Geschäftstätigkeit {von(n)} betrug {qn} "
                   f"{x}."))
    return Draft(text, d, (actual(co, period(fy, q), v, "ocf"),))


RPO = {
    "MSFT": ["Der kommerzielle Auftragsbestand"],
    "ORCL": ["Der Auftragsbestand", "Die verbleibenden Leistungsverpflichtungen (RPO)"],
    "GOOGL": ["Der Auftragsbestand der Sparte Google Cloud"],
    "AMZN": ["Der Auftragsbestand der Cloudsparte AWS"],
    "CRWV": ["Der Auftragsbestand"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, v, _, _ = _act(g, "rpo")
    r, x = g.pick(RPO[co.id]), money(g, v, co.cur)
    own = "" if r.endswith(("Cloud", "AWS")) else f" {von(name(g, co))}"
    verb = "stiegen" if r.startswith("Die") else "stieg"
    text = f"{r}{own} {verb} zum Ende {quarter(g, co, fy, q, 'gen')} auf {x}."
    return Draft(text, d, (actual(co, period(fy, q), v, "rpo"),))


@t("actual")
def actual_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = min(2025, max(2024, fy_of(d, co.fy_end) - 1))
    d = max(d, quarter_end(fy, 4, co.fy_end) + dt.timedelta(days=20))
    v = g.value(co, "year")
    if co.calendar_year:
        when = g.pick([f"im Jahr {fy}", f"{fy}"] + (["im vergangenen Jahr"]
                                                    if fy == d.year - 1 else []))
    else:
        when = g.pick([f"im Geschäftsjahr {fy}", f"im Geschäftsjahr {fy - 1}/{fy % 100}"])
    n = name(g, co)
    text = g.pick((f"{n[0].upper() + n[1:]} investierte {when} {money(g, v, co.cur)}.",
                   f"Die Investitionsausgaben {von(n)} summierten sich {when} auf "
                   f"{money(g, v, co.cur)}."))
    return Draft(text, d, (actual(co, period(fy), v),))


# --- estimates -----------------------------------------------------------------------------


@t("estimate")
def estimate_street(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n, f_, i_ = name(g, co), fuer(g, co, fy, rel), im(g, co, fy, rel)
    bank = g.pick(BANKS)
    text = g.pick((
        f"Analysten rechnen damit, dass {n} {i_} {amount(g, m)} investiert.",
        f"Analysten erwarten bei {dative(n)} für {f_} Investitionsausgaben von {von_(g, m)}, "
        "wie aus Daten von LSEG hervorgeht.",
        f"Nach Schätzung von {bank} dürfte {n} {i_} {amount(g, m)} investieren.",
        f"Die Analysten von {bank} schätzen die Investitionen {von(n)} {i_} auf "
        f"{amount(g, m, 'auf')}.",
    ))
    text = text.replace("von der Deutschen Bank", "der Deutschen Bank")
    return Draft(text, d, (estimate(co, period(fy), m),))


@t("estimate")
def estimate_vs_guidance(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    f_ = fuer(g, co, fy, rel)
    text = (f"{name(g, co, True)} erwartet für {f_} Investitionsausgaben von {von_(g, m)} und "
            f"liegt damit über den {money(g, e.a, co.cur)}, die Analysten für {f_} erwartet "
            "hatten.")
    return Draft(text, d, (guidance(co, period(fy), m), estimate(co, period(fy), e)))


# --- discourse -----------------------------------------------------------------------------


@t("discourse")
def the_group(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    f_ = fuer(g, co, fy, rel)
    up = g.chance(0.5)
    second = (f"Der Konzern hob zudem {prognose(g)} für {f_} auf {amount(g, m, 'auf')} an."
              if up else f"Das Unternehmen erwartet für {f_} Investitionsausgaben von "
                         f"{amount(g, m)}.")
    text = f"{name(g, co, True)} legte am {TAGE[d.weekday()]} Quartalszahlen vor. {second}"
    return Draft(text, d, (guidance(co, period(fy), m, "raised" if up else None),))


@t("discourse")
def headline_body(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    new, old = g.revision(co, True)
    short = NAMES[co.id][0]
    head = g.pick((f"{short} investiert noch mehr in KI", f"{short} erhöht Investitionsprognose"))
    body = (f"{name(g, co, True)} hat {prognose(g)} für {fuer(g, co, fy, rel)} von "
            f"{amount(g, old, 'auf')} auf {amount(g, new, 'auf')} angehoben.")
    return Draft(f"{head}\n\n{body}", d, (guidance(co, period(fy), new, "raised", old),))


# --- negatives -----------------------------------------------------------------------------


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n, qn = name(g, co), quarter(g, co, fy, q)
    N = n[0].upper() + n[1:]
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    this, nxt = ("dieses Jahr", "im kommenden Jahr") if co.calendar_year else (
        "das laufende Geschäftsjahr", "im kommenden Geschäftsjahr")
    text = g.pick((
        f"Der Umsatz {von(n)} stieg {qn} auf {big}.",
        f"{N} kündigte einen Aktienrückkauf im Volumen von {mid} an.",
        f"{N} hat eine Anleihe über {mid} platziert, um den Bau von Rechenzentren zu "
        "finanzieren.",
        f"{N} übernimmt ein Cybersicherheits-Start-up für {small}.",
        f"{N} will {small} in ein Rechenzentrum in Brandenburg investieren.",
        f"{N} will in den kommenden fünf Jahren {small} in Deutschland investieren, um seine "
        "Cloud-Infrastruktur auszubauen.",
        f"{N} verfügte zum Quartalsende über liquide Mittel von {big}.",
        f"{N} kündigte an, die Investitionen {nxt} deutlich zu steigern, nannte aber keine "
        "Zahl.",
        f"{N} hat seine Investitionsprognose für {this} um {small} angehoben.",
        f"Die Investitionsprognose {von(n)} liegt {small} über den Erwartungen der Analysten.",
        f"Die Investitionsausgaben {von(n)} stiegen {qn} um {small}.",
        f"{N} peilt bis 2030 einen Cloud-Umsatz von {big} an.",
        f"Der Nettogewinn {von(n)} lag {qn} bei {mid}.",
        f"Der freie Cashflow {von(n)} sank {qn} auf {small}.",
        f"Das operative Ergebnis {von(n)} verbesserte sich {qn} auf {mid}.",
        f"Die Investitionsausgaben {von(n)} stiegen {qn} um {g.pick((44, 58, 81))} Prozent.",
    ))
    return Draft(text, d, ())
