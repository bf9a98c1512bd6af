"""Spanish: agency-style reports (elevó/subió/recortó/rebajó/mantuvo), executives quoted,
analysts' consensus, amounts in millones / mil millones de dólares, billones de wones."""

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

ES = Language("es")
t = ES.template

NAMES: dict[str, list[str]] = {
    "MSFT": ["Microsoft"],
    "GOOGL": ["Alphabet", "Google", "Alphabet, matriz de Google,"],
    "META": ["Meta", "Meta Platforms", "Meta, matriz de Facebook,"],
    "AMZN": ["Amazon"],
    "AAPL": ["Apple"],
    "ORCL": ["Oracle"],
    "NVDA": ["Nvidia"],
    "TSM": ["TSMC", "la taiwanesa TSMC"],
    "INTC": ["Intel"],
    "CRWV": ["CoreWeave"],
    "BABA": ["Alibaba", "el grupo chino Alibaba"],
    "0700.HK": ["Tencent"],
    "BIDU": ["Baidu"],
    "BYTEDANCE": ["ByteDance", "ByteDance, propietaria de TikTok,"],
    "005930.KS": ["Samsung Electronics", "la surcoreana Samsung Electronics"],
    "000660.KS": ["SK Hynix", "la surcoreana SK Hynix"],
}
BANKS = ["Morgan Stanley", "Goldman Sachs", "JPMorgan", "Bernstein", "UBS", "Barclays",
         "Bank of America"]
ORD = ["primer", "segundo", "tercer", "cuarto"]
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"]
DIAS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def name(g: G, co: Co, start: bool = False) -> str:
    n = g.pick(NAMES[co.id])
    if start:
        n = n[0].upper() + n[1:]
    return n


def short(co: Co) -> str:
    return NAMES[co.id][0]


# --- numbers -------------------------------------------------------------------------------


def _es(x: float, decimals: int = 2) -> str:
    s = f"{x:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:,.0f}"
    return s.replace(",", "§").replace(".", ",").replace("§", ".")


def money(g: G, v: int, cur: str, bare: bool = False) -> str:
    """bare: without the currency, as a prior is often written ("frente a los 60.000 millones
    anteriores")."""
    if cur == "KRW":
        return f"{_es(v / 1e12)} billones" + ("" if bare else " de wones")
    mill = _es(v / 1e6, 0)
    if cur == "CNY":
        return f"{mill} millones" + ("" if bare else g.pick((" de yuanes", " de yuanes")))
    if bare:
        return f"{mill} millones"
    return g.weighted(((f"{mill} millones de dólares", 5), (f"US$ {mill} millones", 2),
                       (f"{_es(v / 1e9)} mil millones de dólares", 2),
                       (f"{mill} millones de dólares estadounidenses", 0.5)))


def span(g: G, lo: int, hi: int, cur: str, ctx: str = "") -> str:
    if cur == "KRW":
        a, b, u = _es(lo / 1e12), _es(hi / 1e12), "billones de wones"
    else:
        a, b = _es(lo / 1e6, 0), _es(hi / 1e6, 0)
        u = "millones de dólares" if cur == "USD" else "millones de yuanes"
    forms = [f"entre {a} y {b} {u}", f"entre {a} y {b} {u}", f"{a}-{b} {u}"]
    if cur == "USD":
        forms.append(f"entre US$ {a} millones y US$ {b} millones")
        forms.append(f"entre {_es(lo / 1e9)} y {_es(hi / 1e9)} mil millones de dólares")
    if ctx == "de":  # after a noun: "unas inversiones de 64.000 a 72.000 millones"
        forms.append(f"{a} a {b} {u}")
    if ctx == "a":  # after elevó/recortó ... a
        forms = [f"un rango de {f}" if f.startswith("entre") else f for f in forms]
    return g.pick(forms)


def amount(g: G, m: Amt, ctx: str = "") -> str:
    if m.form == "range":
        assert m.b is not None
        return span(g, m.a, m.b, m.cur, ctx)
    x = money(g, m.a, m.cur)
    if m.form == "approx":
        return g.pick((f"unos {x}", f"alrededor de {x}", f"aproximadamente {x}", f"cerca de {x}"))
    if m.form == "min":
        return g.pick((f"más de {x}", f"al menos {x}"))
    if m.form == "max":
        return f"un máximo de {x}" if ctx in ("a", "de") else g.pick((f"hasta {x}",
                                                                      f"un máximo de {x}"))
    return x


# --- periods -------------------------------------------------------------------------------


def year(g: G, co: Co, fy: int, rel: str | None) -> str:
    """A noun phrase that follows "para" or "en"."""
    if co.calendar_year:
        opts = [str(fy), str(fy), f"el ejercicio {fy}", f"todo {fy}"]
        if rel == "this":
            opts += ["este año", "el presente ejercicio", "el conjunto del año"]
        if rel == "next":
            opts += ["el próximo año", "el año que viene"]
    else:
        end = quarter_end(fy, 4, co.fy_end)
        opts = [f"el ejercicio fiscal {fy}", f"su año fiscal {fy}", f"el año fiscal {fy}",
                f"el ejercicio fiscal que termina en {MESES[end.month - 1]} de {fy}"]
        if rel == "this":
            opts += ["el actual ejercicio fiscal", "el presente año fiscal"]
        if rel == "next":
            opts += ["el próximo ejercicio fiscal"]
    return g.pick(opts)


def quarter(g: G, co: Co, fy: int, q: int, relative: bool = True) -> str:
    o = ORD[q - 1]
    ms = quarter_months(fy, q, co.fy_end)
    m1, m3 = MESES[ms[0][1] - 1], MESES[ms[2][1] - 1]
    if co.calendar_year:
        opts = [f"el {o} trimestre de {fy}", f"el {o} trimestre de {fy}"]
        rel = [f"el {o} trimestre", f"el trimestre {m1}-{m3}", f"el {o} trimestre del año"]
    else:
        opts = [f"el {o} trimestre de su ejercicio fiscal {fy}",
                f"el {o} trimestre del año fiscal {fy}"]
        rel = [f"el {o} trimestre fiscal", f"el trimestre {m1}-{m3}",
               f"su {o} trimestre fiscal"]
    return g.pick(opts + rel if relative else opts)


CAPEX = ["gasto de capital", "gastos de capital", "inversiones de capital",
         "inversiones en capital", "inversión en bienes de capital", "capex"]
FORECAST = ["su previsión de {c}", "su previsión de {c}", "su pronóstico de {c}",
            "su objetivo de {c}", "su estimación de {c}", "sus perspectivas de {c}"]
UP = ["elevó", "subió", "aumentó", "incrementó", "elevó"]
DOWN = ["recortó", "rebajó", "redujo", "recortó"]
KEEP = ["mantuvo", "reiteró", "confirmó", "mantuvo"]
HEAD = {"elevó": "eleva", "subió": "sube", "aumentó": "aumenta", "incrementó": "incrementa",
        "recortó": "recorta", "rebajó": "rebaja", "redujo": "reduce"}


def forecast(g: G) -> str:
    return g.pick(FORECAST).format(c=g.pick(CAPEX))


def _quote(g: G, s: str, co: Co) -> str:
    n = name(g, co)
    return g.pick((f"«{s}», afirmó el director financiero de {n}.",
                   f'{name(g, co, True)} señaló en su comunicado de resultados: "{s}".',
                   f'"{s}", dijo la directora financiera de {n} en la conferencia con analistas.'))


# --- guidance, first person ----------------------------------------------------------------


def _quoted(g: G, change: str | None) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    p = year(g, co, fy, rel)
    if change is None:
        s = g.pick((
            f"Esperamos que nuestras inversiones de capital en {p} se sitúen en "
            f"{amount(g, m)}".replace("en entre", "entre"),
            f"Prevemos un gasto de capital de {amount(g, m, 'de')} para {p}",
            f"Para {p}, anticipamos unas inversiones de capital de {amount(g, m, 'de')}",
        ))
    elif change == "raised":
        s = g.pick((f"Elevamos nuestra previsión de inversiones de capital para {p} a "
                    f"{amount(g, m, 'a')}",
                    f"Aumentamos nuestro objetivo de gasto de capital para {p} hasta "
                    f"{amount(g, m, 'a')}".replace("hasta un máximo", "a un máximo")))
    elif change == "lowered":
        s = g.pick((f"Reducimos nuestra previsión de inversiones de capital para {p} a "
                    f"{amount(g, m, 'a')}",
                    f"Recortamos nuestro objetivo de gasto de capital para {p} a "
                    f"{amount(g, m, 'a')}"))
    else:
        s = g.pick((f"Seguimos esperando unas inversiones de capital de {amount(g, m, 'de')} "
                    f"en {p}",
                    f"Mantenemos nuestra previsión de gasto de capital de {amount(g, m, 'de')} "
                    f"para {p}"))
    return Draft(_quote(g, s, co), d, (guidance(co, period(fy), m, change),))


ES.variants("guidance", "quoted", _quoted, (None, None, "raised", "lowered", "reaffirmed"))


# --- news ----------------------------------------------------------------------------------


def _news(g: G, kind: str) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co)
    n, N, p = name(g, co), name(g, co, True), year(g, co, fy, rel)
    day = f" el {DIAS[d.weekday()]}" if g.chance(0.3) else ""
    change = {"up": "raised", "down": "lowered", "keep": "reaffirmed"}.get(kind)
    if kind in ("up", "down"):
        v = g.pick(UP if kind == "up" else DOWN)
        text = g.pick((
            f"{N}{day} {v} {forecast(g)} para {p} a {amount(g, m, 'a')}.",
            f"{N} {v} hasta {amount(g, m, 'a')} {forecast(g)} para {p}.",
            f"{short(co)} {HEAD[v]} a {amount(g, m, 'a')} {forecast(g)} para {p}",
            f"Impulsada por la demanda de inteligencia artificial, {n} {v} {forecast(g)} "
            f"para {p} a {amount(g, m, 'a')}.",
        ))
        text = text.replace("hasta un máximo", "a un máximo")
    elif kind == "keep":
        v = g.pick(KEEP)
        text = g.pick((
            f"{N}{day} {v} {forecast(g)} de {amount(g, m, 'de')} para {p}.",
            f"{N} {v} que espera unas inversiones de capital de {amount(g, m, 'de')} en {p}.",
            f"{N} dejó sin cambios {forecast(g)} para {p}, de {amount(g, m, 'de')}.",
        ))
    else:
        c = g.pick(CAPEX)
        text = g.pick((
            f"{N} prevé unas inversiones de capital de {amount(g, m, 'de')} en {p}.",
            f"{N}{day} espera que su gasto de capital alcance {amount(g, m)} en {p}."
            .replace("alcance entre", "se sitúe entre"),
            f"{N} destinará {amount(g, m)} a inversiones de capital en {p}.",
            f"{N} invertirá {amount(g, m)} en {c} en {p}, según informó la compañía.",
            f"{N} planea invertir {amount(g, m)} en bienes de capital en {p}.",
            f"Para {p}, {n} prevé un gasto de capital de {amount(g, m, 'de')}.",
            f"{N} anticipó un capex de {amount(g, m, 'de')} para {p}, por encima de lo que "
            "esperaban los analistas.",
        ))
    text = text.replace("en este año", "este año")
    return Draft(text, d, (guidance(co, period(fy), m, change),))


ES.variants("news", "news", _news, ("set", "set", "up", "up", "down", "keep"))


# --- priors --------------------------------------------------------------------------------


def _prior_with_article(g: G, m: Amt) -> str:
    """A prior after "frente a" / "desde": "los 60.000 millones", "los 60.000-65.000 millones
    de dólares", "unos 60.000 millones"; the currency is often left out."""
    bare = g.chance(0.5) and m.cur != "KRW"
    if m.form == "range":
        assert m.b is not None
        if m.cur == "KRW":
            return f"los {_es(m.a / 1e12)}-{_es(m.b / 1e12)} billones de wones"
        unit = "millones" if bare else ("millones de dólares" if m.cur == "USD"
                                        else "millones de yuanes")
        return f"los {_es(m.a / 1e6, 0)}-{_es(m.b / 1e6, 0)} {unit}"
    x = money(g, m.a, m.cur, bare=bare)
    if x.startswith("US$"):
        x = money(g, m.a, m.cur, bare=True)
    return f"unos {x}" if m.form == "approx" else f"los {x}"


@t("prior")
def prior(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    up = g.chance(0.65)
    new, old = g.revision(co, up)
    N, p = name(g, co, True), year(g, co, fy, rel)
    v = g.pick(UP if up else DOWN)
    los = _prior_with_article(g, old)
    to = amount(g, new, "a")
    text = g.pick((
        f"{N} {v} {forecast(g)} para {p} de {amount(g, old)} a {to}.",
        f"{N} {v} {forecast(g)} para {p} hasta {to}, frente a {los} anteriores.",
        f"{N} {v} {forecast(g)} para {p} a {to}, frente a {los} previstos anteriormente.",
        f"{N} {v} {forecast(g)} para {p} a {to} desde {los} que estimaba antes.",
        f"{N} {v} {forecast(g)} para {p} desde {los} hasta {to}.",
    ))
    text = text.replace("hasta un máximo", "a un máximo").replace("hasta un rango", "a un rango")
    return Draft(text, d, (guidance(co, period(fy), new, "raised" if up else "lowered", old),))


# --- actuals -------------------------------------------------------------------------------


def _act(g: G, what: str = "quarter"):
    co = g.company(NAMES, what)
    fy, q, d = g.reported_quarter(co)
    return co, fy, q, d, quarter(g, co, fy, q), g.value(co, what)


@t("actual")
def actual_capex(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    n, N, x = name(g, co), name(g, co, True), money(g, v, co.cur)
    text = g.pick((
        f"{N} destinó {x} a gastos de capital en {qn}.",
        f"El gasto de capital de {n} ascendió a {x} en {qn}.",
        f"Las inversiones de capital de {n} sumaron {x} en {qn}, un "
        f"{g.pick((41, 57, 73))}% más que un año antes.",
        f"{N} invirtió {x} en bienes de capital durante {qn}.",
        f"En {qn}, el capex de {n} fue de {x}.",
    ))
    return Draft(text, d, (actual(co, period(fy, q), v),))


@t("actual")
def actual_year_ago(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g)
    v0 = int(v * g.pick((0.55, 0.65, 0.75))) // 10**7 * 10**7
    text = (f"El gasto de capital de {name(g, co)} fue de {money(g, v, co.cur)} en {qn}, frente "
            f"a {money(g, v0, co.cur)} en el mismo periodo del año anterior.")
    return Draft(text, d, (actual(co, period(fy, q), v), actual(co, period(fy - 1, q), v0)))


@t("actual")
def actual_ocf(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "ocf")
    n, N, x = name(g, co), name(g, co, True), money(g, v, co.cur)
    text = g.pick((f"El flujo de caja operativo de {n} fue de {x} en {qn}.",
                   f"{N} generó un flujo de caja de las operaciones de {x} en {qn}.",
                   f"En {qn}, el flujo de caja operativo de {n} alcanzó {x}."))
    return Draft(text, d, (actual(co, period(fy, q), v, "ocf"),))


RPO = {
    "MSFT": ["las obligaciones de desempeño pendientes comerciales"],
    "ORCL": ["las obligaciones de desempeño pendientes (RPO)", "la cartera de pedidos"],
    "GOOGL": ["la cartera de pedidos de Google Cloud"],
    "AMZN": ["la cartera de pedidos de AWS"],
    "CRWV": ["la cartera de pedidos", "la cartera de contratos pendientes"],
}


@t("actual")
def actual_rpo(g: G) -> Draft:
    co, fy, q, d, qn, v = _act(g, "rpo")
    r, x = g.pick(RPO[co.id]), money(g, v, co.cur)
    own = "" if r.endswith(("Cloud", "AWS")) else f" de {name(g, co)}"
    verb = "crecieron hasta" if r.startswith("las") else "alcanzó"
    text = g.pick((f"{r[0].upper()}{r[1:]}{own} {verb} {x} al cierre de {qn}.",
                   f"Al cierre de {qn}, {r}{own} {verb} {x}."))
    return Draft(text, d, (actual(co, period(fy, q), v, "rpo"),))


@t("actual")
def actual_year(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d = g.guidance_date()
    fy = min(2025, max(2024, fy_of(d, co.fy_end) - 1))
    d = max(d, quarter_end(fy, 4, co.fy_end) + dt.timedelta(days=20))
    v = g.value(co, "year")
    if co.calendar_year:
        when = g.pick([f"en {fy}", f"en el ejercicio {fy}"]
                      + (["el año pasado"] if fy == d.year - 1 else []))
    else:
        when = g.pick([f"en el ejercicio fiscal {fy}", f"en su año fiscal {fy}"])
    text = g.pick((f"{name(g, co, True)} destinó {money(g, v, co.cur)} a inversiones de capital "
                   f"{when}.",
                   f"El gasto de capital de {name(g, co)} sumó {money(g, v, co.cur)} {when}."))
    return Draft(text, d, (actual(co, period(fy), v),))


# --- estimates -----------------------------------------------------------------------------


@t("estimate")
def estimate_street(g: G) -> Draft:
    co = g.company(NAMES, "year")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 3), ("approx", 2), ("range", 1), ("min", 1)))
    n, p = name(g, co), year(g, co, fy, rel)
    text = g.pick((
        f"Los analistas esperan que {n} invierta {amount(g, m)} en gastos de capital en {p}.",
        f"Según el consenso de analistas de LSEG, el capex de {n} alcanzará {amount(g, m)} "
        f"en {p}.",
        f"{g.pick(BANKS)} estima que {n} gastará {amount(g, m)} en inversiones de capital "
        f"en {p}.",
        f"El mercado espera que el gasto de capital de {n} se sitúe en {amount(g, m)} en {p}."
        .replace("en entre", "entre"),
    ))
    text = text.replace("en este año", "este año")
    return Draft(text, d, (estimate(co, period(fy), m),))


@t("estimate")
def estimate_vs_guidance(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 1), ("range", 2)))
    e = Amt("point", m.a - g.width(co, m.a), None, co.cur)
    p = year(g, co, fy, rel)
    text = (f"{name(g, co, True)} prevé unas inversiones de capital de {amount(g, m, 'de')} para "
            f"{p}, por encima de los {money(g, e.a, co.cur)} que esperaban los analistas para "
            f"{p}.")
    return Draft(text, d, (guidance(co, period(fy), m), estimate(co, period(fy), e)))


# --- discourse -----------------------------------------------------------------------------


@t("discourse")
def the_company(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    m = g.amt(co, forms=(("point", 2), ("range", 2), ("approx", 1)))
    p = year(g, co, fy, rel)
    up = g.chance(0.5)
    second = (f"La compañía elevó además {forecast(g)} para {p} a {amount(g, m, 'a')}." if up
              else f"La empresa prevé unas inversiones de capital de {amount(g, m, 'de')} "
                   f"en {p}.")
    text = (f"{name(g, co, True)} presentó el {DIAS[d.weekday()]} unos resultados trimestrales "
            f"mejores de lo esperado. {second}")
    return Draft(text, d, (guidance(co, period(fy), m, "raised" if up else None),))


@t("discourse")
def headline_body(g: G) -> Draft:
    co = g.company(NAMES, "guides")
    d, fy, rel = g.guided_year(co)
    new, old = g.revision(co, True)
    p = year(g, co, fy, rel)
    head = g.pick((f"{short(co)} dispara su inversión en inteligencia artificial",
                   f"{short(co)} eleva su previsión de gasto de capital"))
    body = (f"{name(g, co, True)} elevó su previsión de inversiones de capital para {p} de "
            f"{amount(g, old)} a {amount(g, new, 'a')}, según informó la compañía.")
    return Draft(f"{head}\n\n{body}", d, (guidance(co, period(fy), new, "raised", old),))


# --- negatives -----------------------------------------------------------------------------


@t("negative")
def negative(g: G) -> Draft:
    co = g.company(NAMES, "quarter")
    fy, q, d = g.reported_quarter(co)
    n, N, qn = name(g, co), name(g, co, True), quarter(g, co, fy, q)
    big = money(g, g.value(co, "quarter") * g.pick((3, 4, 5)), co.cur)
    mid = money(g, g.value(co, "quarter"), co.cur)
    small = money(g, g.value(co, "quarter") // 3 // 10**8 * 10**8 + 10**9, co.cur)
    nxt, this = ("el próximo año", "este año") if co.calendar_year else (
        "el próximo ejercicio fiscal", "el actual ejercicio fiscal")
    text = g.pick((
        f"Los ingresos de {n} alcanzaron {big} en {qn}.",
        f"{N} anunció un programa de recompra de acciones de {mid}.",
        f"{N} colocó una emisión de bonos por {mid} para financiar sus centros de datos.",
        f"{N} acordó la adquisición de una empresa de ciberseguridad por {small}.",
        f"{N} invertirá {small} en un centro de datos en Aragón.",
        f"{N} invertirá {small} en España durante los próximos cinco años para ampliar su "
        "infraestructura en la nube.",
        f"{N} cerró {qn} con {big} en efectivo y valores negociables.",
        f"{N} avisó de que su gasto de capital crecerá con fuerza {nxt}, sin dar una cifra.",
        f"{N} elevó en {small} su previsión de gasto de capital para {this}.",
        f"La previsión de inversiones de capital de {n} supera en {small} lo que esperaban "
        "los analistas.",
        f"El gasto de capital de {n} aumentó en {small} en {qn} respecto al año anterior.",
        f"{N} aspira a alcanzar unos ingresos en la nube de {big} en 2030.",
        f"El beneficio neto de {n} fue de {mid} en {qn}.",
        f"El flujo de caja libre de {n} cayó a {small} en {qn}.",
        f"El gasto de capital de {n} creció un {g.pick((45, 61, 88))}% en {qn}.",
    ))
    return Draft(text, d, ())
