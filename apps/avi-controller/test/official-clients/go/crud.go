package main

import (
	"github.com/vmware/alb-sdk/go/models"
)

func server(addr string, port int32) *models.Server {
	enabled := true
	v4 := "V4"
	return &models.Server{Enabled: &enabled, IP: &models.IPAddr{Type: &v4, Addr: &addr}, Port: &port}
}

func vip(addr string) *models.Vip {
	v4, id := "V4", "1"
	return &models.Vip{VipID: &id, IPAddress: &models.IPAddr{Type: &v4, Addr: &addr}}
}

func vsService(port uint32) *models.Service {
	return &models.Service{Port: &port}
}

// scenarioCrud follows the Go SDK README: a pool, a VsVip and a virtual service whose pool_ref and vsvip_ref
// are the bare uuids of those objects; then refs by name (`/api/pool?name=`), GetByName, Update (PUT), the
// delete of a referenced pool (refused), deletes, and a GET of a deleted object.
func scenarioCrud(cfg config) steps {
	s, rec, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	pname := "go-pool"
	pool, err := c.Pool.Create(&models.Pool{Name: &pname, Servers: []*models.Server{server("10.90.20.12", 80)}})
	if err != nil {
		s.add("pool_create", nil, err)
		return s
	}
	s["pool_create"] = map[string]any{"uuid": str(pool.UUID), "url": str(pool.URL), "servers": len(pool.Servers),
		"server_hostname": str(pool.Servers[0].Hostname), "lb_algorithm": str(pool.LbAlgorithm)}

	vname := "go-vip"
	vv, err := c.VsVip.Create(&models.VsVip{Name: &vname, Vip: []*models.Vip{vip("10.90.20.51")}})
	if err != nil {
		s.add("vsvip_create", nil, err)
		return s
	}
	s["vsvip_create"] = map[string]any{"uuid": str(vv.UUID), "addr": str(vv.Vip[0].IPAddress.Addr)}

	vsname := "go-vs"
	vs, err := c.VirtualService.Create(&models.VirtualService{Name: &vsname, VsvipRef: vv.UUID, PoolRef: pool.UUID,
		Services: []*models.Service{vsService(80)}})
	if err == nil {
		s["vs_uuid_refs"] = map[string]any{"uuid": str(vs.UUID), "pool_ref": str(vs.PoolRef), "vsvip_ref": str(vs.VsvipRef),
			"cloud_ref": str(vs.CloudRef), "application_profile_ref": str(vs.ApplicationProfileRef)}
		got, err := c.VirtualService.Get(*vs.UUID)
		if err == nil {
			s["vs_get"] = map[string]any{"pool_ref": str(got.PoolRef), "vsvip_ref": str(got.VsvipRef), "name": str(got.Name)}
		} else {
			s.add("vs_get", nil, err)
		}
	} else {
		s.add("vs_uuid_refs", nil, err)
	}

	vname2, vsname2 := "go-vip2", "go-vs-by-name"
	if _, err := c.VsVip.Create(&models.VsVip{Name: &vname2, Vip: []*models.Vip{vip("10.90.20.52")}}); err != nil {
		s.add("vsvip2_create", nil, err)
	}
	poolByName, vipByName := "/api/pool?name=go-pool", "/api/vsvip?name=go-vip2"
	vs2, err := c.VirtualService.Create(&models.VirtualService{Name: &vsname2, VsvipRef: &vipByName, PoolRef: &poolByName,
		Services: []*models.Service{vsService(80)}})
	if err == nil {
		s["vs_name_refs"] = map[string]any{"uuid": str(vs2.UUID), "pool_ref": str(vs2.PoolRef), "vsvip_ref": str(vs2.VsvipRef)}
	} else {
		s.add("vs_name_refs", nil, err)
	}

	byName, err := c.Pool.GetByName("go-pool")
	if err == nil {
		s["pool_by_name"] = str(byName.UUID)
		rr := "LB_ALGORITHM_ROUND_ROBIN"
		byName.LbAlgorithm = &rr
		up, err := c.Pool.Update(byName)
		if err == nil {
			s["pool_update"] = str(up.LbAlgorithm)
		} else {
			s.add("pool_update", nil, err)
		}
	} else {
		s.add("pool_by_name", nil, err)
	}
	_, err = c.Pool.GetByName("no-such-pool")
	s.add("pool_by_name_missing", "found", err)

	s.add("pool_delete_referenced", "deleted", c.Pool.Delete(*pool.UUID))
	if vs != nil {
		s.add("vs_delete", "ok", c.VirtualService.Delete(*vs.UUID))
	}
	if vs2 != nil {
		s.add("vs_delete_by_name", "ok", c.VirtualService.DeleteByName("go-vs-by-name"))
	}
	s.add("pool_delete", "ok", c.Pool.Delete(*pool.UUID))
	_, err = c.Pool.Get(*pool.UUID)
	s.add("pool_get_deleted", "found", err)
	s["unauthorized_retries"] = rec.count("POST", "/login", 200) - 1
	return s
}
