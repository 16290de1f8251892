package main

import (
	"github.com/vmware/alb-sdk/go/models"
)

func serverAddrs(p *models.Pool) []string {
	out := []string{}
	if p == nil {
		return out
	}
	for _, sv := range p.Servers {
		out = append(out, str(sv.IP.Addr))
	}
	return out
}

func v4(addr string) map[string]any {
	return map[string]any{"ip": map[string]string{"addr": addr, "type": "V4"}}
}

// scenarioPatch: the DOC-PATCH examples through PoolClient.Patch (add servers, delete one, replace
// lb_algorithm), and a PATCH add to a nested list (internal_profile.dns_service_domain of an
// ipamdnsproviderprofile) through AviSession.Patch.
func scenarioPatch(cfg config) steps {
	s, _, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	pn := "go-patch-pool"
	p, err := c.Pool.Create(&models.Pool{Name: &pn, Servers: []*models.Server{server("1.1.1.0", 80)}})
	if err != nil {
		s.add("pool_create", nil, err)
		return s
	}
	added, err := c.Pool.Patch(*p.UUID, map[string]any{"servers": []any{v4("1.1.1.1"), v4("1.1.1.2")}}, "add")
	s.add("add_servers", serverAddrs(added), err)
	deleted, err := c.Pool.Patch(*p.UUID, map[string]any{"servers": []any{v4("1.1.1.2")}}, "delete")
	s.add("delete_server", serverAddrs(deleted), err)
	replaced, err := c.Pool.Patch(*p.UUID, map[string]any{"lb_algorithm": "LB_ALGORITHM_ROUND_ROBIN"}, "replace")
	if err == nil {
		s["replace_lb_algorithm"] = map[string]any{"lb_algorithm": str(replaced.LbAlgorithm), "servers": serverAddrs(replaced)}
	} else {
		s.add("replace_lb_algorithm", nil, err)
	}

	prof := map[string]any{
		"name": "go-patch-dns", "type": "IPAMDNS_TYPE_INTERNAL_DNS",
		"internal_profile": map[string]any{"dns_service_domain": []any{map[string]any{"domain_name": "a.go.example"}}},
	}
	var created map[string]any
	if err := c.AviSession.Post("api/ipamdnsproviderprofile", prof, &created); err != nil {
		s.add("dns_profile_create", nil, err)
		return s
	}
	uuid, _ := created["uuid"].(string)
	var patched map[string]any
	err = c.AviSession.Patch("api/ipamdnsproviderprofile/"+uuid,
		map[string]any{"internal_profile": map[string]any{"dns_service_domain": []any{map[string]any{"domain_name": "b.go.example"}}}},
		"add", &patched)
	s.add("nested_add_domains", domainNames(patched), err)
	var after map[string]any
	err = c.AviSession.Get("api/ipamdnsproviderprofile/"+uuid, &after)
	s.add("nested_add_domains_get", domainNames(after), err)
	return s
}

func domainNames(obj map[string]any) []string {
	out := []string{}
	ip, _ := obj["internal_profile"].(map[string]any)
	list, _ := ip["dns_service_domain"].([]any)
	for _, d := range list {
		if m, ok := d.(map[string]any); ok {
			if n, ok := m["domain_name"].(string); ok {
				out = append(out, n)
			}
		}
	}
	return out
}
