package main

import (
	"github.com/vmware/alb-sdk/go/clients"
	"github.com/vmware/alb-sdk/go/models"
	"github.com/vmware/alb-sdk/go/session"
)

// getAll records how many objects a typed client's GetAll decoded into the SDK's models, or the error (a
// field of the wrong JSON type fails the decode).
func getAll[T any](s steps, name string, f func(...session.ApiOptionsParams) ([]*T, error)) {
	list, err := f(session.SetParams(map[string]string{"page_size": "200"}))
	s.add(name, len(list), err)
}

// scenarioTyped reads the seeded configuration through the typed clients (models decoded from every answer):
// each type's collection, the singletons (SystemConfiguration, ControllerProperties, the cluster's nodes), and the
// virtualservice-inventory collection into the SDK's VsInventory model.
func scenarioTyped(cfg config) steps {
	s, _, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	typedCollections(s, c)

	sc, err := c.SystemConfiguration.Get("default")
	if err == nil {
		s["systemconfiguration"] = map[string]any{"uuid": str(sc.UUID), "dns_configuration": sc.DNSConfiguration != nil,
			"portal_configuration": sc.PortalConfiguration != nil, "global_tenant_config": sc.GlobalTenantConfig != nil,
			"email_configuration": sc.EmailConfiguration != nil}
	} else {
		s.add("systemconfiguration", nil, err)
	}
	var props models.ControllerProperties
	err = c.AviSession.Get("api/controllerproperties", &props)
	if err == nil {
		s["controllerproperties"] = map[string]any{"api_idle_timeout": props.APIIDLETimeout}
	} else {
		s.add("controllerproperties", nil, err)
	}
	var nodes []*models.ClusterNode // this SDK version has no Cluster model: its nodes
	var cluster struct {
		Nodes *[]*models.ClusterNode `json:"nodes"`
	}
	cluster.Nodes = &nodes
	err = c.AviSession.Get("api/cluster", &cluster)
	s.add("cluster_nodes", len(nodes), err)
	var inv []*models.VsInventory
	err = c.AviSession.GetCollection("api/virtualservice-inventory", &inv)
	s.add("virtualservice_inventory", len(inv), err)
	return s
}

func typedCollections(s steps, c *clients.AviClient) {
	getAll(s, "tenant", c.Tenant.GetAll)
	getAll(s, "cloud", c.Cloud.GetAll)
	getAll(s, "serviceenginegroup", c.ServiceEngineGroup.GetAll)
	getAll(s, "vrfcontext", c.VrfContext.GetAll)
	getAll(s, "network", c.Network.GetAll)
	getAll(s, "ipamdnsproviderprofile", c.IPAMDNSProviderProfile.GetAll)
	getAll(s, "healthmonitor", c.HealthMonitor.GetAll)
	getAll(s, "applicationprofile", c.ApplicationProfile.GetAll)
	getAll(s, "networkprofile", c.NetworkProfile.GetAll)
	getAll(s, "applicationpersistenceprofile", c.ApplicationPersistenceProfile.GetAll)
	getAll(s, "sslprofile", c.SSLProfile.GetAll)
	getAll(s, "sslkeyandcertificate", c.SSLKeyAndCertificate.GetAll)
	getAll(s, "analyticsprofile", c.AnalyticsProfile.GetAll)
	getAll(s, "wafpolicy", c.WafPolicy.GetAll)
	getAll(s, "role", c.Role.GetAll)
	getAll(s, "user", c.User.GetAll)
	getAll(s, "gslb", c.Gslb.GetAll)
	getAll(s, "virtualservice", c.VirtualService.GetAll)
	getAll(s, "vsvip", c.VsVip.GetAll)
	getAll(s, "pool", c.Pool.GetAll)
	getAll(s, "poolgroup", c.PoolGroup.GetAll)
	getAll(s, "httppolicyset", c.HTTPPolicySet.GetAll)
	getAll(s, "stringgroup", c.StringGroup.GetAll)
	getAll(s, "errorpageprofile", c.ErrorPageProfile.GetAll)
}
