package main

import ()

// scenarioMetrics reads the analytics API of the virtual service named by -vs (after the test sent traffic
// to it): GET api/analytics/metrics/virtualservice/<uuid>?metric_id=...&step=300&limit=1.
func scenarioMetrics(cfg config) steps {
	s, _, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	vs, err := c.VirtualService.GetByName(metricsVs)
	if err != nil {
		s.add("vs", nil, err)
		return s
	}
	uuid := str(vs.UUID)
	var one map[string]any
	err = c.AviSession.Get("api/analytics/metrics/virtualservice/"+uuid+
		"?metric_id=l7_client.avg_complete_responses,l4_client.avg_bandwidth&step=300&limit=1", &one)
	s.add("vs_metrics", one, err)
	return s
}
