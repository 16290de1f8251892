package main

import (
	"github.com/vmware/alb-sdk/go/models"
	"github.com/vmware/alb-sdk/go/session"
)

func poolNames(ps []*models.Pool) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, str(p.Name))
	}
	return out
}

// scenarioTenants: a tenant created through the Tenant client; a pool created in it by a session whose
// tenant is that tenant (SetTenant) and one created in admin; what each tenant sees (SetOptTenant per call,
// `*` for all); then the cleanup.
func scenarioTenants(cfg config) steps {
	s := steps{}
	rec, err := newRecorder(cfg)
	if err != nil {
		s.add("setup", nil, err)
		return s
	}
	admin, err := connect(cfg, rec, session.SetPassword(cfg.password))
	if err != nil {
		s.add("login", nil, err)
		return s
	}
	tname := "go-tenant"
	t, err := admin.Tenant.Create(&models.Tenant{Name: &tname})
	if err != nil {
		s.add("tenant_create", nil, err)
		return s
	}
	s["tenant_create"] = map[string]any{"uuid": str(t.UUID), "name": str(t.Name)}

	tcfg := cfg
	tcfg.tenant = tname
	trec, _ := newRecorder(cfg)
	inT, err := connect(tcfg, trec, session.SetPassword(cfg.password))
	if err != nil {
		s.add("tenant_login", nil, err)
		return s
	}
	pn, pa := "go-pool-in-tenant", "go-pool-in-admin"
	p, err := inT.Pool.Create(&models.Pool{Name: &pn})
	if err == nil {
		s["pool_in_tenant"] = map[string]any{"tenant_ref": str(p.TenantRef)}
	} else {
		s.add("pool_in_tenant", nil, err)
	}
	pAdmin, err := admin.Pool.Create(&models.Pool{Name: &pa})
	s.add("pool_in_admin", "ok", err)

	list := func(name string, opts ...session.ApiOptionsParams) {
		ps, err := admin.Pool.GetAll(opts...)
		s.add(name, poolNames(ps), err)
	}
	list("pools_admin")
	list("pools_tenant", session.SetOptTenant(tname))
	list("pools_all", session.SetOptTenant("*"))
	ps, err := inT.Pool.GetAll()
	s.add("pools_tenant_session", poolNames(ps), err)
	_, err = admin.Pool.GetByName(pn)
	s.add("tenant_pool_by_name_from_admin", "found", err)

	if p != nil {
		s.add("pool_delete_in_tenant", "ok", inT.Pool.Delete(*p.UUID))
	}
	if pAdmin != nil {
		s.add("pool_delete_in_admin", "ok", admin.Pool.Delete(*pAdmin.UUID))
	}
	s.add("tenant_delete", "ok", admin.Tenant.Delete(*t.UUID))
	return s
}
