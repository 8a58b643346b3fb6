"""A local fake of the official services `refresh` talks to (GIAS, EES, GOV.UK, ONS), shaped
like their real answers, and able to misbehave as real servers do: fail, trickle, send a file
of another version, or less than it announced."""

from __future__ import annotations

import hashlib
import http.server
import json
import time
from typing import Any


class Published:
    """What the fake services hold, and how they misbehave: a path maps to a body, or to a
    list of (status, headers, body) answers given in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.seen: list[tuple[str, str, dict]] = []

    def add(self, path: str, body: bytes | dict | list) -> None:
        self.routes[path] = body


def handler(pub: Published):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, head_only: bool) -> None:
            pub.seen.append((self.command, self.path, dict(self.headers)))
            route = pub.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if isinstance(route, list):
                status, headers, body = route[0] if len(route) == 1 else route.pop(0)
            else:
                status, headers = 200, {}
                body = json.dumps(route).encode() if isinstance(route, dict) else route
            if status >= 400:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = dict(headers)
            time.sleep(float(headers.pop("X-Sleep", 0)))  # a server that does not answer in time
            trickle = float(headers.pop("X-Trickle", 0))  # seconds between single bytes
            announced = int(headers.pop("X-Announce", len(body)))
            # a version's ETag, as Azure's and GOV.UK's file servers send; "" sends none
            etag = headers.pop("ETag", '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
            if etag:
                headers["ETag"] = etag
            start = 0
            rng = self.headers.get("Range")
            if_range = self.headers.get("If-Range")
            if rng and if_range is not None and if_range != etag:
                rng = None  # another version: RFC 9110 says send the whole file
            if rng and status == 200 and not head_only:
                start = int(rng.split("=")[1].split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.send_header("Content-Length", str(len(body) - start))
            else:
                self.send_response(status)
                self.send_header("Content-Length", str(announced))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if not head_only and trickle:
                for i in range(start, len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
            elif not head_only:
                self.wfile.write(body[start:])

        def do_GET(self):
            self._answer(False)

        def do_HEAD(self):
            self._answer(True)

    return Handler
