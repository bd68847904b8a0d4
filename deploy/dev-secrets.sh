#!/usr/bin/env bash
# Generates DEVELOPMENT keys, certificates and passwords for docker-compose.yml and deploy/overlays/dev.
# Never use the output in production: see deploy/README.md ("Secrets") for what production needs.
#
#   deploy/dev-secrets.sh                              # -> ./dev-secrets/            (docker compose)
#   deploy/dev-secrets.sh deploy/overlays/dev/secrets  # -> the dev overlay's secretGenerator files
#
# Existing files are kept (re-running never rotates a key: a new keybroker master key would make every stored secret
# unreadable). The output folder is mode 0700 and ignores itself in git; the files inside are 0644 so that the
# containers' non-root user (UID 10001) can read the single files bind-mounted into them.
# Needs: openssl (3.x), base64, od.
set -euo pipefail

out="${1:-dev-secrets}"
services=(registry keybroker attestation orchestrator audit gateway)
namespace=cocoplane

umask 022
mkdir -p "$out"
chmod 0700 "$out"
printf '*\n' > "$out/.gitignore"
cd "$out"
mkdir -p keybroker attestation audit gateway orchestrator tls db

made() { printf '  %s\n' "$1"; }

# -- key broker: AES-256 master key (base64 of 32 random bytes), id k1
if [[ ! -s keybroker/master-k1.key ]]; then
    openssl rand -base64 32 > keybroker/master-k1.key
    made keybroker/master-k1.key
fi

# -- gateway: Ed25519 admin credential for the key broker and attestation admin APIs (PKCS#8 PEM) and its public key
if [[ ! -s gateway/keybroker-admin-private.pem ]]; then
    openssl genpkey -algorithm ed25519 -out gateway/keybroker-admin-private.pem
    made gateway/keybroker-admin-private.pem
fi
openssl pkey -in gateway/keybroker-admin-private.pem -pubout -out gateway/keybroker-admin-public.pem
cp gateway/keybroker-admin-public.pem keybroker/admin-public.pem
cp gateway/keybroker-admin-public.pem attestation/admin-public.pem

# -- gateway: RSA key pair standing in for an identity provider (compose verifies user JWTs with the public half;
#    sign development tokens with the private half, claim "roles": ["admin","deployer","auditor"])
if [[ ! -s gateway/user-jwt-private.pem ]]; then
    openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out gateway/user-jwt-private.pem
    made gateway/user-jwt-private.pem
fi
openssl pkey -in gateway/user-jwt-private.pem -pubout -out gateway/user-jwt-public.pem

# -- attestation: EC P-256 EAR token signing key (PKCS#8 PEM)
if [[ ! -s attestation/ear-signing-key.pem ]]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out attestation/ear-signing-key.pem
    made attestation/ear-signing-key.pem
fi

# -- audit: Ed25519 checkpoint signing key (PKCS#8 PEM)
if [[ ! -s audit/signing-key.pem ]]; then
    openssl genpkey -algorithm ed25519 -out audit/signing-key.pem
    made audit/signing-key.pem
fi

# -- orchestrator: a kubeconfig for compose (the current kubectl context when there is one)
if [[ ! -s orchestrator/kubeconfig ]]; then
    if command -v kubectl > /dev/null && kubectl config view --raw --minify > orchestrator/kubeconfig 2> /dev/null \
            && grep -q 'server:' orchestrator/kubeconfig; then
        made "orchestrator/kubeconfig (from the current kubectl context)"
    else
        printf 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n' > orchestrator/kubeconfig
        made "orchestrator/kubeconfig (EMPTY: copy a kubeconfig here for the orchestrator to reach a cluster)"
    fi
fi

# -- TLS: a development CA and one server certificate per service, named as the Services in deploy/base
if [[ ! -s tls/ca.key ]]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tls/ca.key
    openssl req -x509 -new -key tls/ca.key -sha256 -days 825 -subj "/CN=cocoplane development CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out tls/ca.crt
    made tls/ca.crt
fi
for s in "${services[@]}"; do
    if [[ ! -s "tls/$s.crt" ]]; then
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "tls/$s.key"
        openssl req -new -key "tls/$s.key" -subj "/CN=$s.$namespace.svc" -out "tls/$s.csr"
        printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n' \
            "$s" "$s" "$namespace" "$s" "$namespace" "$s" "$namespace" > "tls/$s.ext"
        openssl x509 -req -in "tls/$s.csr" -CA tls/ca.crt -CAkey tls/ca.key -CAcreateserial -days 397 -sha256 \
            -extfile "tls/$s.ext" -out "tls/$s.crt" 2> /dev/null
        rm -f "tls/$s.csr" "tls/$s.ext"
        made "tls/$s.crt"
    fi
done

# -- PostgreSQL: one role per service (CloudNativePG managed roles) and the compose superuser
for s in "${services[@]}" compose; do
    if [[ ! -s "db/$s.password" ]]; then
        # 24 random bytes as hex: no characters that need quoting in a JDBC URL, YAML or a shell
        od -An -tx1 -N24 /dev/urandom | tr -d ' \n' > "db/$s.password"
        made "db/$s.password"
    fi
done

chmod -R a+rX,go-w .
chmod 0700 .
echo "development secrets in $(pwd) (keep them out of git; $out/.gitignore ignores everything)"
