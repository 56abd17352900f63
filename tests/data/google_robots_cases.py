#!/usr/bin/env python3
"""Regenerates google_robots_cases.json from Google's robots_test.cc.

Usage: tests/data/google_robots_cases.py PATH/TO/robots_test.cc > tests/data/google_robots_cases.json

Every EXPECT_TRUE/EXPECT_FALSE(IsUserAgentAllowed(robots, agent, url)) becomes one case
(robots.txt body, agent, URL, expected answer, the C++ test and line it came from).
String variables are followed through the file in order; the two blocks of
GoogleOnly_LineTooLong that build their strings in loops are computed the same way here.
"""
import json
import re
import sys

STRING = r'"(?:[^"\\]|\\.)*"'


def unescape(literal):
    # The file's literals use only \n, \t, \" and \\ escapes; other text is UTF-8 as is.
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], literal[1:-1])


def literal_value(text):
    parts = re.findall(STRING, text)
    return "".join(unescape(part) for part in parts)


def line_too_long():
    max_line = 2083 * 8
    eol = 1
    allow, disallow = "allow: ", "disallow: "
    cases = []
    robots = "user-agent: FooBot\n"
    longline = "/x/"
    max_length = max_line - len(longline) - len(disallow) + eol
    longline += "a" * (max_length - len(longline))
    robots += disallow + longline + "/qux\n"
    cases.append((robots, "FooBot", "http://foo.bar/fux", True))
    cases.append((robots, "FooBot", "http://foo.bar" + longline + "/fux", False))
    robots = "user-agent: FooBot\ndisallow: /\n"
    a, b = "/x/", "/x/"
    max_length = max_line - len(a) - len(allow) + eol
    a += "a" * (max_length - len(a))
    b += "b" * (max_length - len(b))
    robots += allow + a + "/qux\n" + allow + b + "/qux\n"
    cases.append((robots, "FooBot", "http://foo.bar/", False))
    cases.append((robots, "FooBot", "http://foo.bar" + a + "/qux", True))
    cases.append((robots, "FooBot", "http://foo.bar" + b + "/fux", True))
    return cases


def main(path):
    source = open(path, encoding="utf-8").read()
    cases = []
    variables = {}
    test = None
    long_cases = None
    # Statements end with ';'; track line numbers of each statement's start.
    position = 0
    for match in re.finditer(r"[^;{}]*[;{}]", source, re.S):
        statement = match.group(0)
        line = source.count("\n", 0, match.end()) + 1
        # Comments in this file take whole lines.
        text = " ".join(
            l.strip() for l in statement.splitlines() if not l.strip().startswith("//")
        ).strip()
        header = re.match(r"TEST\(RobotsUnittest, (\w+)\)", text)
        if header:
            test = header.group(1)
            variables = {}
            long_cases = iter(line_too_long()) if test == "GoogleOnly_LineTooLong" else None
            continue
        assign = re.match(r"(?:const )?(?:absl::string_view|std::string) (\w+)\s*=\s*(.*);$", text, re.S)
        if assign and re.fullmatch(r"(\s*" + STRING + r"\s*)+", assign.group(2)):
            variables[assign.group(1)] = literal_value(assign.group(2))
            continue
        check = re.match(r"EXPECT_(TRUE|FALSE)\(\s*IsUserAgentAllowed\((.*)\)\);$", text, re.S)
        if not check:
            continue
        expected = check.group(1) == "TRUE"
        if long_cases is not None:
            robots, agent, url, want = next(long_cases)
            assert want == expected, (test, line)
        else:
            args = re.findall(STRING + r"|[\w:]+(?:\([^)]*\))?", check.group(2))
            assert len(args) == 3, (test, line, args)
            values = []
            for arg in args:
                if arg.startswith('"'):
                    values.append(unescape(arg))
                else:
                    values.append(variables[arg])
            robots, agent, url = values
        cases.append({
            "test": test,
            "line": line,
            "robots": robots,
            "agent": agent,
            "url": url,
            "allowed": expected,
        })
    document = {
        "source": "google/robotstxt robots_test.cc, commit 22b355ff855419e6a3ff8ff09c0ad7fdb17116f9",
        "license": "Apache-2.0 (see google_robots_cases.LICENSE); converted by google_robots_cases.py",
        "cases": cases,
    }
    json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
