"""A regex-heavy log parser: generated access-log lines parsed with several
patterns, fields normalised and aggregated."""

import re
from collections import Counter, defaultdict

LINE = re.compile(
    r'(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>\S+) \[(?P<when>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/(?P<version>[\d.]+)" '
    r'(?P<status>\d{3}) (?P<size>\d+|-) "(?P<referrer>[^"]*)" "(?P<agent>[^"]*)"')
WHEN = re.compile(r"(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})")
ID_SEGMENT = re.compile(r"/\d+(?=/|$)")
QUERY = re.compile(r"[?&]([^=&]+)=([^&]*)")
BOT = re.compile(r"bot|crawler|spider", re.IGNORECASE)

AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.0", "Googlebot/2.1",
          "Mozilla/5.0 (Macintosh)", "SomeSpider 1.0"]
PATHS = ["/api/users/%d", "/api/orders/%d/items", "/static/app.js",
         "/search?q=item%d&page=2", "/api/users/%d/profile"]


def make_lines(count):
    lines = []
    for i in range(count):
        path = PATHS[i % len(PATHS)]
        if "%d" in path:
            path = path % (i * 37 % 1000)
        lines.append(
            '10.%d.%d.%d - user%d [%02d/Mar/2024:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" '
            '%d %s "https://example.com/%d" "%s"'
            % (i % 256, i * 3 % 256, i * 7 % 256, i % 50, i % 28 + 1, i % 24,
               i % 60, i * 13 % 60, "GET" if i % 4 else "POST", path,
               (200, 200, 404, 500, 301)[i % 5], str(i * 91 % 5000) if i % 9 else "-",
               i % 20, AGENTS[i % len(AGENTS)]))
    return lines


def normalise(path):
    base, _, _ = path.partition("?")
    return ID_SEGMENT.sub("/{id}", base)


def parse(line):
    match = LINE.match(line)
    if match is None:
        return None
    record = match.groupdict()
    day, month, year, hour, minute, second = WHEN.match(record["when"]).groups()
    record["hour"] = int(hour)
    record["route"] = normalise(record["path"])
    record["params"] = dict(QUERY.findall(record["path"]))
    record["bot"] = BOT.search(record["agent"]) is not None
    record["bytes"] = 0 if record["size"] == "-" else int(record["size"])
    return record


def main():
    routes = Counter()
    by_status = defaultdict(int)
    bytes_by_hour = defaultdict(int)
    bots = 0
    for line in make_lines(25000):
        record = parse(line)
        routes[record["route"]] += 1
        by_status[record["status"]] += 1
        bytes_by_hour[record["hour"]] += record["bytes"]
        bots += record["bot"]
    print(len(routes), sorted(by_status.items()), sum(bytes_by_hour.values()), bots)


main()
