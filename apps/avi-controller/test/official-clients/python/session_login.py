"""Sessions through avisdk: login by password (TLS verified against the controller's CA), the controller
version the login answer carries, a wrong password, a user token from /api/user-token used to log in,
X-Avi-Tenant-UUID, the re-login after a logout, and a TLS-verifying session without the CA (refused by the client)."""

from avi.sdk.avi_api import ApiSession

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    rec = common.Recorder()
    api = common.session(args, rec)
    s['remote_api_version'] = api.remote_api_version
    s.step('tenants', lambda: [t['name'] for t in api.get('tenant').json()['results']])
    s.step('tenant_by_uuid_header', lambda: api.get('tenant', tenant_uuid='admin').json()['count'])
    s.step('default_cloud', lambda: {k: api.get_object_by_name('cloud', 'Default-Cloud')[k] for k in ('uuid', 'vtype')})
    s['logins'] = rec.count('POST', '/login')
    # get_context() -> {session_id, csrftoken}: another ApiSession reuses them without logging in (Ansible's
    # api_context).
    def reuse():
        ctx = api.get_context()
        r2 = common.Recorder()
        other = ApiSession(controller_ip=args.controller, username=args.username, port=args.port, verify=args.ca,
                           api_version=args.api_version, session_id=ctx['session_id'], csrftoken=ctx['csrftoken'])
        other.hooks['response'].append(r2)
        return {'get': common.answer(other.get('tenant'))['status'], 'post': common.answer(other.post('tenant', data={'name': 'py-ctx'}))['status'],
                'logins': r2.count('POST', '/login')}
    s.step('context_reuse', reuse)
    # After a logout the next call gets a 401; avisdk resets the session (logs in again) and retries.
    s.step('logout', lambda: common.answer(api.post('logout'))['status'])
    s.step('after_logout', lambda: {'status': common.answer(api.get('tenant'))['status'],
                                    'logins': rec.count('POST', '/login'), 'unauthorized': rec.count('GET', '/api/tenant', 401),
                                    'exchanges': [(e['method'], e['path'], e['status']) for e in rec.exchanges]})

    s.step('wrong_password', lambda: common.session(args, password=args.password + '-wrong') and 'logged in')

    tok = s.step('user_token', lambda: common.answer(api.post('user-token', data={'hours': 2})))
    token = (tok.get('body') or {}).get('token') if isinstance(tok, dict) else None
    def with_token():
        t = common.session(args, password=None, token=token)
        return {'pools': common.answer(t.get('pool'))['status'], 'tenant_header': t.avi_credentials.tenant}
    s.step('token_login', with_token)
    s.step('wrong_token', lambda: common.session(args, password=None, token='0' * 40) and 'logged in')

    def unverified():
        ApiSession(controller_ip=args.controller, username=args.username, password=args.password, port=args.port,
                   verify=True, api_version=args.api_version, retry_conxn_errors=False)
        return 'connected'
    s.step('verify_without_ca', unverified)
    return s


common.main(run)
