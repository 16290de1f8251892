package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/vmware/alb-sdk/go/models"
	"github.com/vmware/alb-sdk/go/session"
)

// scenarioPaging: five pools in a tenant of their own, read with page_size=2 through GetCollectionRaw,
// following `next` until it is empty.
func scenarioPaging(cfg config) steps {
	s, _, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	tname := "go-paging"
	if _, err := c.Tenant.Create(&models.Tenant{Name: &tname}); err != nil {
		s.add("tenant_create", nil, err)
		return s
	}
	in := session.SetOptTenant(tname)
	for i := 1; i <= 5; i++ {
		n := fmt.Sprintf("go-page-%d", i)
		if _, err := c.Pool.Create(&models.Pool{Name: &n}, in); err != nil {
			s.add("pool_create", nil, err)
			return s
		}
	}
	pages := []map[string]any{}
	names := []string{}
	uri := "api/pool?page_size=2&sort=name"
	for i := 0; i < 10 && uri != ""; i++ {
		res, err := c.AviSession.GetCollectionRaw(uri, in)
		if err != nil {
			s.add("page", nil, err)
			break
		}
		var objs []map[string]any
		_ = json.Unmarshal(res.Results, &objs)
		for _, o := range objs {
			names = append(names, fmt.Sprint(o["name"]))
		}
		pages = append(pages, map[string]any{"count": res.Count, "results": len(objs), "next": res.Next})
		uri = ""
		if res.Next != "" {
			// `next` is an absolute URL; the SDK takes paths relative to its prefix.
			if u, err := url.Parse(res.Next); err == nil {
				uri = strings.TrimPrefix(u.RequestURI(), "/")
			}
		}
	}
	s["pages"] = pages
	s["names"] = names
	all, err := c.Pool.GetAll(in, session.SetParams(map[string]string{"page_size": "200"}))
	s.add("get_all_page_size_200", len(all), err)
	return s
}
