#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""probewise.so's configuration in a real collectd: Include inside the
<Plugin probewise> block at any depth, with paths relative to the including
file, and errors that name their file and line wherever they are written.

    PROBEWISE_COLLECTD_PLUGIN=build/collectd_plugin/probewise.so python3 tests/integration/test_collectd_config.py -v

Exit code 77 (ctest: skipped) when collectd is not installed.
"""

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collectd_run  # noqa: E402
from collectd_run import main_or_skip  # noqa: E402


Env = collectd_run.Servers("probewise-config-")
setUpModule = Env.up
tearDownModule = Env.down


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class Include(unittest.TestCase):
    def test_nested_relative_includes_and_their_errors(self):
        root = os.path.join(Env.tmp, "include")
        test = "http://127.0.0.1:%d" % Env.test_port
        # collectd.conf -> endpoints/web.conf -> ../common/timeouts.conf;
        # collectd.conf -> <Include "endpoints/more"> Filter "*.conf" -> bad.conf.
        write(os.path.join(root, "common", "timeouts.conf"), "Timeout 3\nInterval 1\n")
        web = write(os.path.join(root, "endpoints", "web.conf"),
                    '<Endpoint "web">\n  URL "%s/"\n  Include "../common/timeouts.conf"\n</Endpoint>\n'
                    'Include "more/deeper.conf"\n' % test)
        write(os.path.join(root, "endpoints", "more", "deeper.conf"),
              '<Endpoint "deep">\n  URL "%s/statuscode/401"\n  Include "../../common/timeouts.conf"\n'
              '</Endpoint>\n' % test)
        bad = write(os.path.join(root, "endpoints", "more", "bad.conf"),
                    '<Endpoint "bad">\n  URL "%s/"\n\n  Timeuot 2\n</Endpoint>\n' % test)
        write(os.path.join(root, "endpoints", "more", "ignored.txt"), "not read: the Filter leaves it out\n")
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        block = "\n".join([
            "<Plugin probewise>",
            '  StateDir "%s"' % state,
            '  Include "%s"' % os.path.relpath(web, os.path.join(Env.tmp, "config")),
            '  <Include "%s">' % os.path.relpath(os.path.dirname(bad), os.path.join(Env.tmp, "config")),
            '    Filter "b*.conf"',
            "  </Include>",
            '  Include "nowhere/*.conf"',
            "</Plugin>"])
        c = collectd_run.Collectd(Env.tmp, "config", [], state, python=False, raw_plugin_block=block)
        try:
            c.wait_for("values of both included endpoints", lambda: c.value("web", "response_code") == 200 and
                       c.value("deep", "response_code") == 401, timeout=30)
            log = c.log_text()
            self.assertIn('[error] probewise plugin: <Plugin probewise> <Endpoint "bad">: unknown key "Timeuot" '
                          "(did you mean Timeout?) (at %s:4)" % bad, log)
            m = re.search(r'\[error\] probewise plugin: <Plugin probewise>: Include "nowhere/\*\.conf": no such file '
                          r'\(relative to (\S+)\) \(at (\S+):\d+\)', log)
            self.assertTrue(m, log[-3000:])
            self.assertEqual(m.group(1), os.path.join(Env.tmp, "config"))
            self.assertEqual(m.group(2), c.conf)
            self.assertIn("probing 2 endpoints", log)
            self.assertIsNone(c.value("bad", "gauge-state"))
            self.assertNotIn("ignored", log)
        finally:
            self.assertEqual(c.stop(), 0)

    def test_every_error_has_a_place(self):
        state = tempfile.mkdtemp(dir=Env.tmp, prefix="state-")
        block = "\n".join([
            "<Plugin probewise>",
            "  MaxConcurrency 0",
            '  <Endpoint "">',
            '    URL "http://127.0.0.1:1/"',
            "  </Endpoint>",
            '  <Endpoint "a">',
            '    Header "X-One: 1"',
            '    Header "no colon"',
            "  </Endpoint>",
            "</Plugin>"])
        c = collectd_run.Collectd(Env.tmp, "places", [], state, python=False, raw_plugin_block=block)
        # A config callback that fails ends collectd (it says so on stderr).
        c.proc.wait(30)
        c.stop()
        self.assertIn("no endpoint can be probed: fix the errors above", c.log_text())
        errors = [l for l in c.log_text().splitlines() if "[error] probewise plugin: <Plugin" in l]
        self.assertGreaterEqual(len(errors), 4, errors)
        for line in errors:
            self.assertRegex(line, r"\(at %s:\d+\)$" % re.escape(c.conf))
        with open(c.conf) as f:
            header_line = [i + 1 for i, l in enumerate(f) if 'Header "no colon"' in l][0]
        self.assertTrue(any("Header: expected" in l and l.endswith(":%d)" % header_line) for l in errors), errors)


if __name__ == "__main__":
    main_or_skip(unittest.main)
