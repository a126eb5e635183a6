#!/usr/bin/env python3
"""Drives headless Chromium through the DevTools protocol on a pipe (no extra packages).

Usage: browser.py URL SCREENSHOT [COMMAND ...]

Opens URL, waits until the page shows a lock table, records the text of the locks panel, runs COMMAND
(if any) and waits for the panel to change without the page reloading, saves a screenshot, and prints one
JSON object: {"before": text, "after": text, "reloaded": bool, "updated": bool, "screenshot": path}.
"""
import base64, json, os, subprocess, sys, tempfile, time

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome") if os.path.exists(p)), "chromium")


class Browser:
    def __init__(self):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        profile = tempfile.mkdtemp(prefix="scopelock-chromium-")

        def wire():
            # Chromium reads commands from fd 3 and writes answers to fd 4 (by way of high fds, so that
            # neither pipe end is overwritten before it is moved).
            reader, writer = os.dup2(to_browser_read, 100), os.dup2(from_browser_write, 101)
            os.dup2(reader, 3)
            os.dup2(writer, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
             "--window-size=1400,1000", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self.receive()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def wait_for(self, expression, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        return None

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main():
    url, screenshot, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    browser = Browser()
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": url})
        rows = "document.querySelectorAll('#lock-rows tr').length"
        live = "document.getElementById('live') && document.getElementById('live').className.includes('on')"
        browser.wait_for(f"({live}) && document.readyState === 'complete'", 15)
        browser.evaluate("window.__scopelockMark = 'same page'")
        before = browser.evaluate("document.getElementById('locks').innerText")
        count = browser.evaluate(rows)
        updated = False
        if command:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            updated = bool(browser.wait_for(f"{rows} !== {count}", 10))
        after = browser.evaluate("document.getElementById('locks').innerText")
        reloaded = browser.evaluate("window.__scopelockMark") != "same page"
        time.sleep(0.3)  # let the fresh-row highlight start before the picture
        shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(screenshot, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        dom = browser.evaluate("document.documentElement.outerHTML")
        print(json.dumps({"before": before, "after": after, "updated": updated, "reloaded": reloaded,
                          "screenshot": screenshot, "dom": dom}))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
