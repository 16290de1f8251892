package main

import (
	"fmt"

	"github.com/vmware/alb-sdk/go/session"
)

// scenarioSession: login by password (verified against the CA, or SetInsecure), the controller version,
// a wrong password, a user token from /api/user-token used to log in (SetAuthToken and the V2 refresh
// callback), that a re-used session does not log in again, and the re-login after Logout.
func scenarioSession(cfg config) steps {
	s, rec, c := loggedIn(cfg)
	if c == nil {
		return s
	}
	s["login"] = "ok"
	v, err := c.AviSession.GetControllerVersion()
	s.add("controller_version", v, err)
	tenants, err := c.Tenant.GetAll()
	names := []string{}
	for _, t := range tenants {
		names = append(names, str(t.Name))
	}
	s.add("tenants", names, err)
	cloud, err := c.Cloud.GetByName("Default-Cloud")
	if err == nil {
		s["default_cloud"] = map[string]any{"uuid": str(cloud.UUID), "vtype": str(cloud.Vtype)}
	} else {
		s.add("default_cloud", nil, err)
	}
	s["logins_with_password_session"] = rec.count("POST", "/login", 200)

	// The SDK's testApiLogout: after Logout the next call gets a 401, logs in again and succeeds.
	s.add("logout", "ok", c.AviSession.Logout())
	_, err = c.Tenant.GetByName("admin")
	s.add("after_logout", map[string]any{"logins": rec.count("POST", "/login", 200),
		"unauthorized": rec.count("GET", "/api/tenant?name=admin", 401)}, err)

	bad, badErr := newRecorder(cfg)
	if badErr == nil {
		_, badErr = connect(cfg, bad, session.SetPassword(cfg.password+"-wrong"))
	}
	s.add("wrong_password", "no error", badErr)

	var tok map[string]any
	err = c.AviSession.Post("api/user-token", map[string]string{"hours": "2"}, &tok)
	s.add("user_token_keys", keys(tok), err)
	token, _ := tok["token"].(string)
	trec, _ := newRecorder(cfg)
	tc, err := connect(cfg, trec, session.SetAuthToken(token))
	if err == nil {
		var one map[string]any
		err = tc.AviSession.Get("api/tenant?name=admin", &one)
		if err == nil {
			s["token_session_get"] = one["count"]
		}
	}
	if err != nil {
		s.add("token_session_get", nil, err)
	}
	refreshed := 0
	crec, _ := newRecorder(cfg)
	cc, err := connect(cfg, crec, session.SetRefreshAuthTokenCallbackV2(func() (string, error) {
		refreshed++
		var t map[string]any
		if err := c.AviSession.Post("api/user-token", map[string]string{"hours": "1"}, &t); err != nil {
			return "", err
		}
		tk, ok := t["token"].(string)
		if !ok {
			return "", fmt.Errorf("no token in %v", t)
		}
		return tk, nil
	}))
	if err == nil {
		_, err = cc.Pool.GetAll()
	}
	s.add("token_callback_session", map[string]any{"callbacks": refreshed}, err)

	irec, _ := newRecorder(config{insecure: true})
	ic, err := connect(config{host: cfg.host, user: cfg.user, tenant: cfg.tenant, version: cfg.version, insecure: true}, irec,
		session.SetPassword(cfg.password))
	if err == nil {
		_, err = ic.Tenant.GetByName("admin")
	}
	s.add("insecure_session", "ok", err)
	return s
}

func keys(m map[string]any) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}
