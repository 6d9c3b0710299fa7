"""Graph emulator: time zones accepted by Graph (Windows ids + documented IANA list) and date/time parsing/formatting."""

import ctypes
import datetime as dt
import glob
import re
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc

# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------
# Doc: "dateTimeTimeZone resource type"
#   https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone
#   "The TimeZone property can be set to any of the time zones supported by Windows, as well as
#    the following time zones names" -- followed by a fixed list of IANA names (below). Any other
#   name (for example Europe/Oslo, which is not on the list) is rejected with
#   400 TimeZoneNotSupportedException.
GRAPH_ACCEPTED_IANA = {
    # name as sent -> IANA key used for the conversion (the doc writes a few with an alias)
    "Etc/GMT+12": "Etc/GMT+12", "Etc/GMT+11": "Etc/GMT+11", "Pacific/Honolulu": "Pacific/Honolulu",
    "America/Anchorage": "America/Anchorage", "America/Santa_Isabel": "America/Tijuana",
    "America/Los_Angeles": "America/Los_Angeles", "America/Phoenix": "America/Phoenix",
    "America/Chihuahua": "America/Chihuahua", "America/Denver": "America/Denver",
    "America/Guatemala": "America/Guatemala", "America/Chicago": "America/Chicago",
    "America/Mexico_City": "America/Mexico_City", "America/Regina": "America/Regina",
    "America/Bogota": "America/Bogota", "America/New_York": "America/New_York",
    "America/Indiana/Indianapolis": "America/Indiana/Indianapolis", "America/Caracas": "America/Caracas",
    "America/Asuncion": "America/Asuncion", "America/Halifax": "America/Halifax",
    "America/Cuiaba": "America/Cuiaba", "America/La_Paz": "America/La_Paz",
    "America/Santiago": "America/Santiago", "America/St_Johns": "America/St_Johns",
    "America/Sao_Paulo": "America/Sao_Paulo", "America/Argentina/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Cayenne": "America/Cayenne", "America/Godthab": "America/Nuuk",
    "America/Montevideo": "America/Montevideo", "America/Bahia": "America/Bahia",
    "Etc/GMT+2": "Etc/GMT+2", "Atlantic/Azores": "Atlantic/Azores", "Atlantic/Cape_Verde": "Atlantic/Cape_Verde",
    "Africa/Casablanca": "Africa/Casablanca", "Etc/GMT": "Etc/GMT", "Europe/London": "Europe/London",
    "Atlantic/Reykjavik": "Atlantic/Reykjavik", "Europe/Berlin": "Europe/Berlin",
    "Europe/Budapest": "Europe/Budapest", "Europe/Paris": "Europe/Paris", "Europe/Warsaw": "Europe/Warsaw",
    "Africa/Lagos": "Africa/Lagos", "Africa/Windhoek": "Africa/Windhoek", "Europe/Bucharest": "Europe/Bucharest",
    "Asia/Beirut": "Asia/Beirut", "Africa/Cairo": "Africa/Cairo", "Asia/Damascus": "Asia/Damascus",
    "Africa/Johannesburg": "Africa/Johannesburg", "Europe/Kyiv": "Europe/Kyiv", "Europe/Kiev": "Europe/Kyiv",
    "Europe/Istanbul": "Europe/Istanbul", "Asia/Jerusalem": "Asia/Jerusalem", "Asia/Amman": "Asia/Amman",
    "Asia/Baghdad": "Asia/Baghdad", "Europe/Kaliningrad": "Europe/Kaliningrad", "Asia/Riyadh": "Asia/Riyadh",
    "Africa/Nairobi": "Africa/Nairobi", "Asia/Tehran": "Asia/Tehran", "Asia/Dubai": "Asia/Dubai",
    "Asia/Baku": "Asia/Baku", "Europe/Moscow": "Europe/Moscow", "Indian/Mauritius": "Indian/Mauritius",
    "Asia/Tbilisi": "Asia/Tbilisi", "Asia/Yerevan": "Asia/Yerevan", "Asia/Kabul": "Asia/Kabul",
    "Asia/Karachi": "Asia/Karachi", "Asia/Toshkent": "Asia/Tashkent", "Asia/Tashkent": "Asia/Tashkent",
    "Asia/Kolkata": "Asia/Kolkata", "Asia/Colombo": "Asia/Colombo", "Asia/Kathmandu": "Asia/Kathmandu",
    "Asia/Astana": "Asia/Almaty", "Asia/Almaty": "Asia/Almaty", "Asia/Dhaka": "Asia/Dhaka",
    "Asia/Yekaterinburg": "Asia/Yekaterinburg", "Asia/Yangon": "Asia/Yangon", "Asia/Rangoon": "Asia/Yangon",
    "Asia/Bangkok": "Asia/Bangkok", "Asia/Novosibirsk": "Asia/Novosibirsk", "Asia/Shanghai": "Asia/Shanghai",
    "Asia/Krasnoyarsk": "Asia/Krasnoyarsk", "Asia/Singapore": "Asia/Singapore", "Australia/Perth": "Australia/Perth",
    "Asia/Taipei": "Asia/Taipei", "Asia/Ulaanbaatar": "Asia/Ulaanbaatar", "Asia/Irkutsk": "Asia/Irkutsk",
    "Asia/Tokyo": "Asia/Tokyo", "Asia/Seoul": "Asia/Seoul", "Australia/Adelaide": "Australia/Adelaide",
    "Australia/Darwin": "Australia/Darwin", "Australia/Brisbane": "Australia/Brisbane",
    "Australia/Sydney": "Australia/Sydney", "Pacific/Port_Moresby": "Pacific/Port_Moresby",
    "Australia/Hobart": "Australia/Hobart", "Asia/Yakutsk": "Asia/Yakutsk", "Pacific/Guadalcanal": "Pacific/Guadalcanal",
    "Asia/Vladivostok": "Asia/Vladivostok", "Pacific/Auckland": "Pacific/Auckland", "Etc/GMT-12": "Etc/GMT-12",
    "Pacific/Fiji": "Pacific/Fiji", "Asia/Magadan": "Asia/Magadan", "Pacific/Tongatapu": "Pacific/Tongatapu",
    "Pacific/Apia": "Pacific/Apia", "Pacific/Kiritimati": "Pacific/Kiritimati",
}

# Fallback used only when Debian's libicu cannot be loaded. Source: CLDR windowsZones.xml
# (territory "001" mappings) for the zones plancal and its tests are likely to use. With libicu
# present (Debian libicu72 ships CLDR's windowsZones data inside libicudata) the full set is read
# from ICU instead -- see _load_windows_zones_from_icu().
_FALLBACK_WINDOWS_ZONES = {
    "UTC": "Etc/UTC", "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
    "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
    "FLE Standard Time": "Europe/Kiev", "GTB Standard Time": "Europe/Bucharest",
    "Russian Standard Time": "Europe/Moscow", "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago", "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles", "Tokyo Standard Time": "Asia/Tokyo",
    "AUS Eastern Standard Time": "Australia/Sydney", "India Standard Time": "Asia/Calcutta",
    "China Standard Time": "Asia/Shanghai",
}


def _load_windows_zones_from_icu():
    """Return {Windows zone id: IANA id} from ICU's copy of CLDR windowsZones, or None.

    Enumerates every IANA zone ICU knows (ucal_openTimeZones), asks ICU for its Windows id
    (ucal_getWindowsTimeZoneID) and maps each Windows id back to its CLDR "001" golden zone
    (ucal_getTimeZoneIDForWindowsID). ctypes is standard library; libicu is Debian's libicu72.
    """
    libs = sorted(glob.glob("/usr/lib/*/libicui18n.so.*[0-9]") + glob.glob("/usr/lib/libicui18n.so.*[0-9]"))
    for path in libs:
        m = re.search(r"libicui18n\.so\.(\d+)$", path)
        if not m:
            continue
        ver = "_" + m.group(1)
        try:
            i18n = ctypes.CDLL(path)
            uc = ctypes.CDLL(path.replace("libicui18n", "libicuuc"))
            open_tz = getattr(i18n, "ucal_openTimeZones" + ver)
            nxt = getattr(uc, "uenum_next" + ver)
            close = getattr(uc, "uenum_close" + ver)
            to_win = getattr(i18n, "ucal_getWindowsTimeZoneID" + ver)
            from_win = getattr(i18n, "ucal_getTimeZoneIDForWindowsID" + ver)
        except (OSError, AttributeError):
            continue
        open_tz.restype = ctypes.c_void_p
        open_tz.argtypes = [ctypes.POINTER(ctypes.c_int)]
        nxt.restype = ctypes.c_char_p
        nxt.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int)]
        close.argtypes = [ctypes.c_void_p]
        to_win.restype = ctypes.c_int32
        to_win.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32,
                           ctypes.POINTER(ctypes.c_int)]
        from_win.restype = ctypes.c_int32
        from_win.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p,
                             ctypes.c_int32, ctypes.POINTER(ctypes.c_int)]

        def u16(s):
            return ctypes.create_string_buffer(s.encode("utf-16-le") + b"\0\0")

        err = ctypes.c_int(0)
        en = open_tz(ctypes.byref(err))
        if not en or err.value > 0:
            continue
        windows = set()
        try:
            while True:
                ln = ctypes.c_int32(0)
                err = ctypes.c_int(0)
                s = nxt(en, ctypes.byref(ln), ctypes.byref(err))
                if not s:
                    break
                iana = s.decode("ascii")
                out = ctypes.create_string_buffer(512)
                err = ctypes.c_int(0)
                n = to_win(u16(iana), len(iana), out, 256, ctypes.byref(err))
                if err.value <= 0 and n > 0:
                    windows.add(out.raw[: 2 * n].decode("utf-16-le"))
        finally:
            close(en)
        result = {}
        for w in windows:
            out = ctypes.create_string_buffer(512)
            err = ctypes.c_int(0)
            n = from_win(u16(w), len(w), None, out, 256, ctypes.byref(err))
            if err.value <= 0 and n > 0:
                result[w] = out.raw[: 2 * n].decode("utf-16-le")
        if result:
            return result
    return None


WINDOWS_ZONES = _load_windows_zones_from_icu()
WINDOWS_ZONES_SOURCE = "libicu (CLDR windowsZones)" if WINDOWS_ZONES else "built-in fallback (CLDR windowsZones excerpt)"
if not WINDOWS_ZONES:
    WINDOWS_ZONES = dict(_FALLBACK_WINDOWS_ZONES)
WINDOWS_ZONES.setdefault("UTC", "Etc/UTC")


def zone_for(name):
    """ZoneInfo for a dateTimeTimeZone.timeZone value Graph accepts, else None."""
    key = WINDOWS_ZONES.get(name) or GRAPH_ACCEPTED_IANA.get(name)
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        try:
            return ZoneInfo({"Europe/Kyiv": "Europe/Kiev", "America/Nuuk": "America/Godthab"}.get(key, key))
        except Exception:
            return None


_DT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")


def parse_local_datetime(s):
    """Parse dateTimeTimeZone.dateTime ("<date>T<time>", no offset). None when malformed."""
    if not isinstance(s, str):
        return None
    m = _DT_RE.match(s)
    if not m:
        return None
    y, mo, d, h, mi, sec, frac = m.groups()
    try:
        micro = int((frac or "0").ljust(7, "0")[:6])
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), micro)
    except ValueError:
        return None


def fmt_local(naive):
    """Graph writes dateTime with 7 fractional digits: 2024-01-15T09:00:00.0000000."""
    return naive.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (naive.microsecond * 10)


def now_stamp():
    """DateTimeOffset as Graph writes it: UTC, 7 fractional digits, Z."""
    ns = time.time_ns()
    secs, rem = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + ".%07dZ" % (rem // 100)


def parse_query_datetime(s):
    """ISO 8601 value of calendarView startDateTime/endDateTime -> aware UTC datetime or None."""
    if not s:
        return None
    t = s.strip().replace(" ", "+")
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    m = re.match(r"^(.*T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?([+-]\d{2}:\d{2})?$", t)
    if not m:
        return None
    base, frac, off = m.groups()
    frac = (frac or "")[:7]
    try:
        v = dt.datetime.fromisoformat(base + (frac[:7] if frac else "") + (off or ""))
    except ValueError:
        return None
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return v.astimezone(UTC)
