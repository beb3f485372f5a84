"""axe-core (WCAG 2.x A/AA rules) run on an extension page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

VIOLATIONS = """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                     resultTypes: ['violations']})
    .then((r) => r.violations.map((v) => `${v.id} (${v.impact}): ` + v.nodes.map((n) => n.target.join(' ')).join(', ')))"""


def audit(page) -> list[str]:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # through DevTools: the extension's CSP admits no injected script tag
    return page.evaluate(VIOLATIONS)
