"""Tenants through avisdk: create a tenant, create pools in it (per-call `tenant=` and a session whose tenant
it is), list per tenant (X-Avi-Tenant), by tenant uuid (X-Avi-Tenant-UUID) and across tenants (`*`)."""

import common


def names(rsp):
    return sorted(o['name'] for o in rsp.json()['results'])


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    t = s.step('tenant_create', lambda: common.answer(api.post('tenant', data={'name': 'py-tenant'})))
    tenant_uuid = (t.get('body') or {}).get('uuid') if isinstance(t, dict) else None
    s.step('pool_in_tenant', lambda: common.answer(api.post('pool', data={'name': 'py-pool-t'}, tenant='py-tenant')))
    s.step('pool_in_admin', lambda: common.answer(api.post('pool', data={'name': 'py-pool-a'})))
    in_t = common.session(args, tenant='py-tenant')
    s.step('pool_by_tenant_session', lambda: common.answer(in_t.post('pool', data={'name': 'py-pool-t2'})))
    s.step('pools_admin', lambda: names(api.get('pool')))
    s.step('pools_tenant', lambda: names(api.get('pool', tenant='py-tenant')))
    s.step('pools_tenant_uuid', lambda: names(api.get('pool', tenant_uuid=tenant_uuid)))
    s.step('pools_tenant_session', lambda: names(in_t.get('pool')))
    s.step('pools_all', lambda: names(api.get('pool', tenant='*')))
    s.step('unknown_tenant', lambda: common.answer(api.get('pool', tenant='no-such-tenant')))
    for n in ('py-pool-t', 'py-pool-t2'):
        s.step('delete_' + n, lambda n=n: common.answer(api.delete_by_name('pool', n, tenant='py-tenant')))
    s.step('tenant_delete', lambda: common.answer(api.delete_by_name('tenant', 'py-tenant')))
    return s


common.main(run)
