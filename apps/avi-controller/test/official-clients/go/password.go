package main

import (
	"github.com/vmware/alb-sdk/go/session"
)

// scenarioPassword follows the Go SDK's own TestUpdatePassword: a lazily authenticated session with the new
// password fails before the change; PUT api/useraccount {username, name, old_password, password} with the
// old one; the new-password session then works, a login with the old password fails, and the change back.
func scenarioPassword(cfg config) steps {
	s := steps{}
	newPassword := cfg.password + "-2"
	nrec, err := newRecorder(cfg)
	if err != nil {
		s.add("setup", nil, err)
		return s
	}
	withNew, err := connect(cfg, nrec, session.SetPassword(newPassword), session.SetLazyAuthentication(true))
	if err != nil {
		s.add("new_password_session", nil, err)
		return s
	}
	var robj any
	s.add("new_password_before_change", "ok", withNew.AviSession.Get("api/healthmonitor", &robj))

	orec, _ := newRecorder(cfg)
	withOld, err := connect(cfg, orec, session.SetPassword(cfg.password), session.SetLazyAuthentication(true))
	if err != nil {
		s.add("old_password_session", nil, err)
		return s
	}
	data := map[string]string{"username": cfg.user, "name": cfg.user, "old_password": cfg.password, "password": newPassword}
	var changed map[string]any
	err = withOld.AviSession.Put("api/useraccount", data, &changed)
	s.add("change", keys(changed), err)
	if _, leaked := changed["password"]; leaked {
		s["change_echoes_password"] = true
	}

	s.add("new_password_after_change", "ok", withNew.AviSession.Get("api/healthmonitor", &robj))
	lrec, _ := newRecorder(cfg)
	_, err = connect(cfg, lrec, session.SetPassword(cfg.password))
	s.add("old_password_login_after_change", "ok", err)

	wrong := map[string]string{"username": cfg.user, "name": cfg.user, "old_password": "not-the-password", "password": "Other-Passw0rd"}
	s.add("change_with_wrong_old_password", "ok", withNew.AviSession.Put("api/useraccount", wrong, &robj))

	back := map[string]string{"username": cfg.user, "name": cfg.user, "old_password": newPassword, "password": cfg.password}
	s.add("change_back", "ok", withNew.AviSession.Put("api/useraccount", back, &robj))
	brec, _ := newRecorder(cfg)
	_, err = connect(cfg, brec, session.SetPassword(cfg.password))
	s.add("original_password_login", "ok", err)
	return s
}
