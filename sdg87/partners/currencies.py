"""ISO 4217 currency codes accepted for budgets.

The active codes of ISO 4217 as listed by pycountry 26.2.16 (data from Debian's iso-codes,
LGPL-2.1), less the precious metals (XAG, XAU, XPD, XPT), bond-market units (XBA–XBD), the
testing and "no currency" codes (XTS, XXX) and the regional accounting units XSU, XUA and XAD.
Regenerate with pycountry when ISO 4217 changes.
"""

from __future__ import annotations

_CODES = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD
    MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
    PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP
    SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV
    WST XAF XCD XCG XDR XOF XPF YER ZAR ZMW ZWG
    """
ISO_4217 = frozenset(_CODES.split())


def is_currency(code: str) -> bool:
    """``code`` is an accepted ISO 4217 alphabetic code (upper case, e.g. "USD")."""
    return code in ISO_4217
