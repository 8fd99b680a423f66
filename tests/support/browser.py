"""What the browser tests share."""

VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# axe-core waits on timers (setTimeout, requestAnimationFrame) between its checks, and a page
# opened with JavaScript disabled runs no timers: axe.run() would never finish. Playwright's
# evaluate still runs (it is the browser's debugging protocol, not the page's scripts), and
# promises settle, so these stand-ins run each timer's function as a microtask instead. The
# page's own scripts stay off: the DOM checked is the one a reader without JavaScript gets.
_TIMERS_AS_MICROTASKS = """() => {
  const soon = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  window.setTimeout = soon;
  window.setInterval = () => 0;
  window.clearTimeout = window.clearInterval = () => {};
  window.requestAnimationFrame = (fn) => soon(fn, performance.now());
  window.requestIdleCallback = (fn) => soon(fn, {timeRemaining: () => 50, didTimeout: false});
}"""


def axe_violations(page, *, javascript: bool = True) -> list[dict]:
    """axe-core's violations on the current page; ``javascript=False`` for a page whose
    context was opened with ``java_script_enabled=False``."""
    from axe_playwright_python.sync_playwright import Axe

    if not javascript:
        page.evaluate(_TIMERS_AS_MICROTASKS)
    return Axe().run(page).response["violations"]


def describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations)
