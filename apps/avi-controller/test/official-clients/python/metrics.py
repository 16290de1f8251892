"""Analytics through avisdk's ApiUtils: a virtual service (data plane on) in front of a local HTTP server,
traffic sent to its VIP (2xx and 4xx answers), then get_metrics for the common metric ids (before and after
the traffic), a pool metric, get_healthscore, and the healthscore API."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from avi.sdk.utils.api_utils import ApiUtils

import common

METRICS = ['l4_client.avg_bandwidth', 'l4_client.avg_new_established_conns', 'l7_client.avg_complete_responses',
           'l7_client.avg_resp_4xx', 'l7_client.avg_resp_5xx', 'l7_client.avg_total_time']


class Backend(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'hello from the pool server\n'
        self.send_response(404 if self.path.startswith('/missing') else 200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def run():
    args = common.parse_args({'--vs-port': {'type': int, 'required': True}, '--ok': {'type': int, 'default': 12},
                              '--missing': {'type': int, 'default': 4}})
    s = common.Steps()
    api = common.session(args)
    utils = ApiUtils(api)
    backend = ThreadingHTTPServer(('127.0.0.1', 0), Backend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    api.post('pool', data={'name': 'py-metrics-pool', 'servers': [
        {'ip': {'addr': '127.0.0.1', 'type': 'V4'}, 'port': backend.server_address[1]}]})
    vip = api.post('vsvip', data={'name': 'py-metrics-vip', 'vip': [{'vip_id': '0', 'auto_allocate_ip': True}]}).json()
    addr = vip['vip'][0]['ip_address']['addr']
    vs = api.post('virtualservice', data={
        'name': 'py-metrics-vs', 'services': [{'port': args.vs_port}], 'pool_ref': '/api/pool?name=py-metrics-pool',
        'vsvip_ref': '/api/vsvip?name=py-metrics-vip', 'application_profile_ref': '/api/applicationprofile?name=System-HTTP'}).json()
    s['vs_uuid'] = vs['uuid']
    base = 'http://%s:%d' % (addr, args.vs_port)

    s.step('before', lambda: utils.get_metrics('virtualservice', 'py-metrics-vs', metric_id=METRICS))
    deadline = time.time() + 15
    while True:  # the listener opens after the write is acknowledged
        try:
            requests.get(base + '/warmup', timeout=2)
            break
        except requests.RequestException:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    statuses = [requests.get(base + '/ok/%d' % i, timeout=5).status_code for i in range(args.ok)]
    statuses += [requests.get(base + '/missing/%d' % i, timeout=5).status_code for i in range(args.missing)]
    s['traffic_statuses'] = statuses
    s.step('after', lambda: utils.get_metrics('virtualservice', 'py-metrics-vs', metric_id=METRICS))
    s.step('after_window', lambda: utils.get_metrics('virtualservice', 'py-metrics-vs',
                                                     metric_id='l7_client.avg_complete_responses', step=300, limit=3))
    s.step('pool', lambda: utils.get_metrics('pool', 'py-metrics-pool', metric_id='l4_server.avg_new_established_conns'))
    s.step('healthscore_utils', lambda: utils.get_healthscore('virtualservice', 'py-metrics-vs'))
    s.step('healthscore_api', lambda: common.answer(api.get('analytics/healthscore/virtualservice/' + vs['uuid'],
                                                            params={'step': 300, 'limit': 1})))
    s.step('unknown_vs', lambda: common.answer(api.get('analytics/metrics/virtualservice/virtualservice-00000000-0000-0000-0000-000000000000',
                                                       params={'metric_id': METRICS[0]})))
    backend.shutdown()
    return s


common.main(run)
