"""Tenant authorization through avisdk: a user whose only access is Tenant-Admin on tenant py-t1 logs in,
works in py-t1, and is refused (403) in admin, on other tenants' objects, and when creating a superuser."""

import common

PASSWORD = 'Tenant-Passw0rd-1'


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    t1 = api.post('tenant', data={'name': 'py-t1'}).json()
    api.post('tenant', data={'name': 'py-t2'})
    admin_pool = api.post('pool', data={'name': 'py-admin-only'}).json()
    t2_pool = api.post('pool', data={'name': 'py-t2-pool'}, tenant='py-t2').json()
    s.step('create_user', lambda: common.answer(api.post('user', data={
        'name': 'py-tenant-admin', 'username': 'py-tenant-admin', 'password': PASSWORD,
        'default_tenant_ref': '/api/tenant?name=py-t1',
        'access': [{'tenant_ref': '/api/tenant?name=py-t1', 'role_ref': '/api/role?name=Tenant-Admin'}]}))['status'])
    user = common.session(args, username='py-tenant-admin', password=PASSWORD, tenant='py-t1')
    s['t1_uuid'] = t1['uuid']
    s.step('create_in_own_tenant', lambda: common.answer(user.post('pool', data={'name': 'py-t1-pool'})))
    s.step('list_own_tenant', lambda: sorted(p['name'] for p in user.get('pool').json()['results']))
    s.step('list_admin_tenant', lambda: common.answer(user.get('pool', tenant='admin')))
    s.step('get_admin_object', lambda: common.answer(user.get('pool/' + admin_pool['uuid'], tenant='admin')))
    s.step('delete_admin_object', lambda: common.answer(user.delete('pool/' + admin_pool['uuid'], tenant='admin')))
    s.step('list_other_tenant', lambda: common.answer(user.get('pool', tenant='py-t2')))
    s.step('put_other_tenant_object', lambda: common.answer(user.put('pool/' + t2_pool['uuid'], tenant='py-t2',
                                                                     data={'name': 'py-t2-pool', 'description': 'x'})))
    s.step('create_superuser', lambda: common.answer(user.post('user', data={
        'name': 'py-escalate', 'username': 'py-escalate', 'password': PASSWORD, 'is_superuser': True,
        'access': [{'all_tenants': True, 'role_ref': '/api/role?name=System-Admin'}]})))
    s.step('admin_object_still_there', lambda: api.get('pool/' + admin_pool['uuid']).json()['name'])
    return s


common.main(run)
