"""Shared helpers for the avisdk scripts: arguments, sessions, a record of every HTTP exchange, JSON output.

Every script drives the avi-controller through avisdk (the official Avi Python SDK, pinned in
requirements.txt) and prints one JSON object of what the SDK returned; the jest tests assert on it.
"""

import argparse
import json
import sys
import traceback

from avi.sdk.avi_api import ApiSession, APIError, ObjectNotFound


def parse_args(extra=None):
    p = argparse.ArgumentParser()
    p.add_argument('--controller', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--username', default='admin')
    p.add_argument('--password', required=True)
    p.add_argument('--ca', help='CA certificate to verify the controller with (verify=False without it)')
    p.add_argument('--api-version', default='30.2.1')
    for name, kw in (extra or {}).items():
        p.add_argument(name, **kw)
    return p.parse_args()


class Recorder:
    """A requests response hook: method, path, status and the Cookie header of every request a session sent."""

    def __init__(self):
        self.exchanges = []

    def __call__(self, resp, *args, **kwargs):
        req = resp.request
        self.exchanges.append({
            'method': req.method,
            'path': req.path_url,
            'status': resp.status_code,
            'cookie': req.headers.get('Cookie', ''),
        })

    def count(self, method, path, status=None):
        return sum(1 for e in self.exchanges
                   if e['method'] == method and e['path'] == path and (status is None or e['status'] == status))


def session(args, recorder=None, **kw):
    """A new ApiSession (not the cached get_session) with the script's credentials; kw overrides them."""
    opts = dict(controller_ip=args.controller, username=args.username, password=args.password,
                port=args.port, verify=args.ca or False, api_version=args.api_version, tenant='admin')
    opts.update(kw)
    lazy = opts.pop('lazy_authentication', False)
    api = ApiSession(lazy_authentication=True, **opts)
    if recorder is not None:
        api.hooks['response'].append(recorder)
    if not lazy:
        api.authenticate_session()
    return api


def error_info(e):
    out = {'error': str(e), 'type': type(e).__name__}
    rsp = getattr(e, 'rsp', None)
    if rsp is None and len(e.args) > 1 and hasattr(e.args[1], 'status_code'):
        rsp = e.args[1]  # ObjectNotFound(msg, response)
    if rsp is not None:
        out['status'] = rsp.status_code
        try:
            out['body'] = json.loads(rsp.text)  # ApiResponse.json() raises on non-2xx
        except ValueError:
            out['body'] = rsp.text
    return out


def answer(rsp):
    """status and JSON body (or text) of an ApiResponse."""
    try:
        body = json.loads(rsp.text) if rsp.text else None
    except ValueError:
        body = rsp.text
    return {'status': rsp.status_code, 'body': body}


class Steps(dict):
    """Named results; `step(name, fn)` stores fn()'s value, or the error it raised."""

    def step(self, name, fn):
        try:
            self[name] = fn()
        except Exception as e:  # the test asserts on what went wrong
            self[name] = error_info(e)
            if not isinstance(e, (APIError, ObjectNotFound)):
                self[name]['traceback'] = traceback.format_exc(limit=3)
        return self[name]


def main(run):
    try:
        out = run()
    except Exception as e:
        out = {'fatal': error_info(e), 'traceback': traceback.format_exc()}
    json.dump(out, sys.stdout, default=str)
    sys.stdout.write('\n')
