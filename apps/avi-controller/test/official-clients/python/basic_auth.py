"""Basic authentication through avisdk (user_hdrs={'Authorization': 'Basic ...'}, no login): refused until
portal_configuration.allow_basic_authentication is set by a GET-modify-PUT of systemconfiguration, then
writes work with neither a session nor a CSRF token (the SDK's test_basic_auth cassette)."""

import base64

from avi.sdk.avi_api import ApiSession

import common


def basic_session(args, password, rec):
    token = base64.b64encode(('%s:%s' % (args.username, password)).encode()).decode()
    api = ApiSession(controller_ip=args.controller, username=args.username, port=args.port, verify=args.ca,
                     api_version=args.api_version, user_hdrs={'Authorization': 'Basic ' + token})
    api.hooks['response'].append(rec)
    return api


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    rec = common.Recorder()
    basic = basic_session(args, args.password, rec)
    s.step('before_enabled', lambda: common.answer(basic.get('pool'))['status'])

    def enable():
        sc = api.get('systemconfiguration').json()
        sc['portal_configuration']['allow_basic_authentication'] = True
        rsp = common.answer(api.put('systemconfiguration', data=sc))
        return {'status': rsp['status'], 'allow': rsp['body']['portal_configuration']['allow_basic_authentication']}
    s.step('enable', enable)
    s.step('post', lambda: common.answer(basic.post('pool', data={'name': 'py-basic'}))['status'])
    s.step('get', lambda: [p['name'] for p in basic.get('pool', params={'name': 'py-basic'}).json()['results']])
    s['requests'] = [{'method': e['method'], 'path': e['path'], 'status': e['status'], 'cookie': e['cookie']} for e in rec.exchanges]
    wrong = basic_session(args, args.password + '-wrong', common.Recorder())
    s.step('wrong_password', lambda: common.answer(wrong.get('pool'))['status'])
    return s


common.main(run)
