// alb-sdk-probe drives the avi-controller through the official Go SDK (github.com/vmware/alb-sdk/go: session and
// clients) and prints what the SDK returned as one JSON object, for the jest tests to assert on.
//
// Usage: alb-sdk-probe -host 127.0.0.1:8443 -password P [-user admin] [-tenant admin] [-version 30.2.1]
//
//	[-ca ca.crt | -insecure] SCENARIO
//
// Scenarios: session, crud, tenants, paging, patch, password, metrics, versions, defaults, typed (see the files of
// the same names).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/vmware/alb-sdk/go/clients"
	"github.com/vmware/alb-sdk/go/session"
)

// metricsVs is the virtual service the metrics scenario reads.
var metricsVs string

type config struct {
	host, user, password, tenant, version, ca string
	insecure                                  bool
}

// recorder is the HttpClient handed to the SDK (session.SetClient): it records every request it sends.
type recorder struct {
	mu       sync.Mutex
	inner    *http.Client
	requests []map[string]any
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	res, err := r.inner.Do(req)
	entry := map[string]any{"method": req.Method, "path": req.URL.RequestURI()}
	if err != nil {
		entry["error"] = err.Error()
	} else {
		entry["status"] = res.StatusCode
	}
	r.mu.Lock()
	r.requests = append(r.requests, entry)
	r.mu.Unlock()
	return res, err
}

// count of recorded requests whose method and path match and whose status is `status`.
func (r *recorder) count(method, path string, status int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.requests {
		if e["method"] == method && e["path"] == path && e["status"] == status {
			n++
		}
	}
	return n
}

func (r *recorder) all() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.requests...)
}

func newRecorder(cfg config) (*recorder, error) {
	tlsCfg := &tls.Config{InsecureSkipVerify: cfg.insecure}
	if cfg.ca != "" {
		pem, err := os.ReadFile(cfg.ca)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate in %s", cfg.ca)
		}
		tlsCfg.RootCAs = pool
	}
	return &recorder{inner: &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}, Timeout: 30 * time.Second}}, nil
}

// connect opens an AviClient with the common options (version, tenant, recorder, short retry limits) plus extra.
func connect(cfg config, rec *recorder, extra ...func(*session.AviSession) error) (*clients.AviClient, error) {
	opts := []func(*session.AviSession) error{
		session.SetVersion(cfg.version),
		session.SetTenant(cfg.tenant),
		session.SetClient(rec),
		session.SetControllerStatusCheckLimits(1, 1),
		session.SetMaxApiRetries(2),
		session.SetApiRetryInterval(100),
	}
	if cfg.insecure {
		opts = append(opts, session.SetInsecure)
	}
	return clients.NewAviClient(cfg.host, cfg.user, append(opts, extra...)...)
}

// errInfo is what a step reports for an error: the message, and the HTTP status when the SDK returned an AviError.
// loggedIn starts a scenario: a recording transport and a password login. A nil client means the steps already
// say what failed (setup or login).
func loggedIn(cfg config) (steps, *recorder, *clients.AviClient) {
	s := steps{}
	rec, err := newRecorder(cfg)
	if err != nil {
		s.add("setup", nil, err)
		return s, nil, nil
	}
	c, err := connect(cfg, rec, session.SetPassword(cfg.password))
	if err != nil {
		s.add("login", nil, err)
		return s, rec, nil
	}
	return s, rec, c
}

func errInfo(err error) map[string]any {
	if err == nil {
		return nil
	}
	out := map[string]any{"error": err.Error()}
	var ae session.AviError
	if errors.As(err, &ae) {
		out["status"] = ae.HttpStatusCode
		if ae.Message != nil {
			out["message"] = *ae.Message
		}
	}
	return out
}

// steps collects named results; a step's value is what the SDK returned or errInfo of its error.
type steps map[string]any

func (s steps) add(name string, value any, err error) {
	if err != nil {
		s[name] = errInfo(err)
		return
	}
	s[name] = value
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

var scenarios = map[string]func(config) steps{
	"session":  scenarioSession,
	"crud":     scenarioCrud,
	"tenants":  scenarioTenants,
	"paging":   scenarioPaging,
	"patch":    scenarioPatch,
	"password": scenarioPassword,
	"metrics":  scenarioMetrics,
	"versions": scenarioVersions,
	"defaults": scenarioDefaults,
	"typed":    scenarioTyped,
}

func main() {
	var cfg config
	flag.StringVar(&cfg.host, "host", "", "controller host:port")
	flag.StringVar(&cfg.user, "user", "admin", "user name")
	flag.StringVar(&cfg.password, "password", "", "password")
	flag.StringVar(&cfg.tenant, "tenant", "admin", "tenant")
	flag.StringVar(&cfg.version, "version", "30.2.1", "X-Avi-Version")
	flag.StringVar(&cfg.ca, "ca", "", "CA certificate (PEM) to verify the controller with")
	flag.BoolVar(&cfg.insecure, "insecure", false, "skip certificate verification (session.SetInsecure)")
	flag.StringVar(&metricsVs, "vs", "", "virtual service name (metrics)")
	// The SDK logs through glog: keep its lines on stderr instead of files in the temp dir.
	_ = flag.Set("logtostderr", "true")
	flag.Parse()
	run, ok := scenarios[flag.Arg(0)]
	if cfg.host == "" || !ok {
		names := make([]string, 0, len(scenarios))
		for n := range scenarios {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: alb-sdk-probe -host H:P -password P [-ca F|-insecure] SCENARIO (one of %v)\n", names)
		os.Exit(2)
	}
	out, err := json.Marshal(run(cfg))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
