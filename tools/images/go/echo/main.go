// echo: the backend of the real-node tests. An HTTP server on $PORT (default 8080) that answers every request with
// JSON saying which Pod answered (POD_NAME, POD_IP from the downward API) and what it received, so a test can tell
// which backend a request through the load balancer reached.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

type reply struct {
	Pod        string              `json:"pod"`
	PodIP      string              `json:"podIP"`
	Method     string              `json:"method"`
	Host       string              `json:"host"`
	Path       string              `json:"path"`
	RemoteAddr string              `json:"remoteAddr"`
	Headers    map[string][]string `json:"headers"`
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(reply{
			Pod: os.Getenv("POD_NAME"), PodIP: os.Getenv("POD_IP"), Method: r.Method, Host: r.Host,
			Path: r.URL.Path, RemoteAddr: r.RemoteAddr, Headers: r.Header,
		})
	})
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		<-stop
		os.Exit(0)
	}()
	log.Printf("echo: listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
