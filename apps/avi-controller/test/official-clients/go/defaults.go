package main

import (
	"github.com/vmware/alb-sdk/go/models"
)

// scenarioDefaults: a virtual service with `"error_page_profile_ref": ""` (a typed model with an empty
// string, as the Go AKO sends on every VS) is created with the ref unset; system default objects cannot be
// deleted (HealthMonitor System-HTTP, ServiceEngineGroup Default-Group).
func scenarioDefaults(cfg config) steps {
	s, _, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	pn, vn, vsn, empty := "go-empty-ref-pool", "go-empty-ref-vip", "go-empty-ref-vs", ""
	pool, err := c.Pool.Create(&models.Pool{Name: &pn})
	if err != nil {
		s.add("pool_create", nil, err)
		return s
	}
	vv, err := c.VsVip.Create(&models.VsVip{Name: &vn, Vip: []*models.Vip{vip("10.90.30.1")}})
	if err != nil {
		s.add("vsvip_create", nil, err)
		return s
	}
	vs, err := c.VirtualService.Create(&models.VirtualService{Name: &vsn, PoolRef: pool.UUID, VsvipRef: vv.UUID,
		ErrorPageProfileRef: &empty, Services: []*models.Service{vsService(80)}})
	if err == nil {
		s["vs_empty_ref"] = map[string]any{"error_page_profile_ref": str(vs.ErrorPageProfileRef), "pool_ref": str(vs.PoolRef)}
	} else {
		s.add("vs_empty_ref", nil, err)
	}
	s.add("delete_system_http", "deleted", c.HealthMonitor.DeleteByName("System-HTTP"))
	_, err = c.HealthMonitor.GetByName("System-HTTP")
	s.add("system_http_still_there", true, err)
	s.add("delete_default_group", "deleted", c.ServiceEngineGroup.DeleteByName("Default-Group"))
	return s
}
