package main

import (
	"github.com/vmware/alb-sdk/go/models"
	"github.com/vmware/alb-sdk/go/session"
)

// scenarioVersions: one pool read by sessions with SetVersion 20.1.1 and 30.2.1 (the swagger: Pool
// append_port 21.1.1, pool_type 22.1.1, graceful_hm_down_disable_timeout 30.2.1).
func scenarioVersions(cfg config) steps {
	s := steps{}
	fields := func(p *models.Pool) map[string]bool {
		if p == nil {
			return nil
		}
		return map[string]bool{"append_port": p.AppendPort != nil, "pool_type": p.PoolType != nil,
			"graceful_hm_down_disable_timeout": p.GracefulHmDownDisableTimeout != nil, "lb_algorithm": p.LbAlgorithm != nil}
	}
	for _, v := range []string{"20.1.1", "30.2.1"} {
		vcfg := cfg
		vcfg.version = v
		rec, err := newRecorder(vcfg)
		if err != nil {
			s.add("setup", nil, err)
			return s
		}
		c, err := connect(vcfg, rec, session.SetPassword(cfg.password))
		if err != nil {
			s.add("login_"+v, nil, err)
			continue
		}
		if v == "20.1.1" {
			n := "go-versioned"
			_, err := c.Pool.Create(&models.Pool{Name: &n})
			s.add("create_"+v, "ok", err)
		}
		p, err := c.Pool.GetByName("go-versioned")
		s.add("get_"+v, fields(p), err)
	}
	return s
}
