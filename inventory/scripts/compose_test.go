package scripts

import (
	"testing"

	"whyk8s/inventory"
)

// TestComposeReader: a Compose file's services are the containers a host runs: each a
// service of its own, or what its image is named for (a database in a container keeps its
// data on the host as an installed one does), with the environment it is given.
func TestComposeReader(t *testing.T) {
	tests := []struct {
		name, path, src string
		want            []string
	}{
		{"an application with its database, cache and worker", "deploy/docker-compose.yml", `# prod stack, see runbook
services:
  web:
    image: registry.example.com/shop/web:${TAG:-latest}
    ports: ["80:8080"]
    environment:
      CACHE_HOST: cache
      LEDGER_ADDR: 10.20.0.5
    env_file: [.env, prod.env]
  worker:
    build: ./worker
    environment:
      - QUEUE=orders
  db:
    image: postgres:15-alpine
    volumes: ["pgdata:/var/lib/postgresql/data"]
  cache:
    image: "docker.io/library/redis:7@sha256:0123abcd"
  mq:
    image: rabbitmq:3-management
  search:
    image: mcr.microsoft.com/mssql/server:2022-latest
volumes:
  pgdata: {}
`, []string{
			"3 docker compose service web (registry.example.com/shop/web:${TAG:-latest})", "3 service web (compose service)",
			"7 env-config CACHE_HOST", "8 env-config LEDGER_ADDR", "8 hardcoded-ip 10.20.0.5",
			"9 env-config env file .env", "9 env-config env file prod.env",
			"10 docker compose service worker", "10 service worker (compose service)", "13 env-config QUEUE",
			"14 docker compose service db (postgres:15-alpine)", "15 database postgres (container postgres:15-alpine)",
			"17 docker compose service cache (docker.io/library/redis:7@sha256:0123abcd)", "18 database redis (container docker.io/library/redis:7@sha256:0123abcd)",
			"19 docker compose service mq (rabbitmq:3-management)", "20 database rabbitmq-server (container rabbitmq:3-management)",
			"21 docker compose service search (mcr.microsoft.com/mssql/server:2022-latest)", "22 database sql-server (container mcr.microsoft.com/mssql/server:2022-latest)",
		}},
		// The Compose file a role renders: its Jinja read as placeholders, lines kept.
		{"a role's Compose template", "roles/shop/templates/docker-compose.yml.j2", `# {{ ansible_managed }}
services:
  app:
    image: "{{ shop_image }}:{{ shop_version }}"
    environment:
      DB_HOST: {{ db_host }}
{% if enable_search %}
  search:
    image: opensearchproject/opensearch:2.11.0
{% endif %}
`, []string{
			"3 docker compose service app (${shop_image}:${shop_version})", "3 service app (compose service)", "6 env-config DB_HOST",
			"8 docker compose service search (opensearchproject/opensearch:2.11.0)", "9 database opensearch (container opensearchproject/opensearch:2.11.0)",
		}},
		{"a Compose file with Jinja outside a role's templates", "files/docker-compose.yml", "services:\n  api:\n    image: {{ api_image }}\n    environment:\n      LEVEL: {{ log_level }}\n",
			[]string{"2 docker compose service api (${api_image})", "2 service api (compose service)", "5 env-config LEVEL"}},
		{"a Compose file a role keeps as a template without .j2", "roles/shop/templates/compose.yaml", "services:\n  cache:\n    image: memcached:1.6\n",
			[]string{"2 docker compose service cache (memcached:1.6)", "3 database memcached (container memcached:1.6)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := readAs(t, tt.path, tt.src)
			if res.script.Kind != inventory.ScriptCompose {
				t.Errorf("kind %q, want compose", res.script.Kind)
			}
			wantFacts(t, got, tt.want, true)
		})
	}
}

// Compose files are known by their names too.
func TestComposeName(t *testing.T) {
	for p, want := range map[string]bool{
		"docker-compose.yml": true, "deploy/docker-compose.prod.yaml": true, "compose.yaml": true, "stack/app.compose.yml": true,
		"composer.yml": false, "docker-compose.json": false, "ansible/compose-tasks.yml": false,
	} {
		if got := composeName(p); got != want {
			t.Errorf("composeName(%q) = %v, want %v", p, got, want)
		}
	}
}

// A YAML file with services that do not run images is not a Compose file: a playbook's
// variables, a CI configuration.
func TestLooksCompose(t *testing.T) {
	for src, want := range map[string]bool{
		"services:\n  web:\n    image: nginx\n":                     true,
		"services:\n  api:\n    build: .\n":                         true,
		"services:\n  - nginx\n  - redis\n":                         false,
		"services:\n  web:\n    enabled: true\n":                    false,
		"version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n": false,
		"services: {}\n": false,
	} {
		docs, err := parseYAML(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := looksCompose(docs); got != want {
			t.Errorf("looksCompose(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestContainerFact: an image is what its last path element is named for, whatever the
// registry, tag or digest; the application's own image is nothing the vocabulary knows.
func TestContainerFact(t *testing.T) {
	for image, want := range map[string]string{
		"postgres:15": "database postgres", "bitnami/postgresql:16": "database postgresql",
		"mongo:7": "database mongodb", "registry:5000/ops/mysql:8.0": "database mysql",
		"confluentinc/cp-kafka:7.6.0": "database kafka", "nginx:1.25": "web-server nginx",
		"acme/shop:1.4.2": "", "${IMAGE}": "", "": "",
	} {
		got := ""
		if f, ok := containerFact(image); ok {
			got = f.Kind.String() + " " + f.Name
		}
		if got != want {
			t.Errorf("containerFact(%q) = %q, want %q", image, got, want)
		}
	}
}
