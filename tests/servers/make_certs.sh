#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Creates the TLS material for the integration tests in OUTDIR, with the
# openssl CLI only (OpenSSL 3.0 is enough). Generated at test time; never
# commit what it writes.
#
#   ca.pem / ca.key                  self-signed test CA
#   server.pem / server.key          CN=localhost, SAN localhost + 127.0.0.1, 400 days, signed by the CA
#   selfsigned.pem / selfsigned.key  self-signed, CN="probewise test", 400 days
#   nearexpiry.pem / nearexpiry.key  CN="probewise near expiry", valid for about 2 days, signed by the CA
#   expired.pem / expired.key        CN="probewise expired", notAfter in the past, signed by the CA
#   client.pem / client.key          CN="probewise monitor", a client certificate signed by the CA
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"
cd "$out"
umask 077

quiet() { "$@" >/dev/null 2>openssl.log || { cat openssl.log >&2; exit 1; }; }

newkey() { quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# The CA.
newkey ca.key
quiet openssl req -x509 -new -key ca.key -sha256 -days 800 -subj "/CN=probewise test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.pem

cat > server.ext <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
EOF

# signed NAME CN DAYS: a CA-signed leaf certificate valid from now on.
signed() {
    newkey "$1.key"
    quiet openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
    quiet openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
        -sha256 -days "$3" -extfile server.ext -out "$1.pem"
}

signed server localhost 400
signed nearexpiry "probewise near expiry" 2

# A client certificate for mutual TLS (-J/-K).
newkey client.key
quiet openssl req -new -key client.key -subj "/CN=probewise monitor" -out client.csr
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > client.ext
quiet openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -sha256 -days 400 -extfile client.ext -out client.pem

# Self-signed, not trusted by anything.
newkey selfsigned.key
quiet openssl req -x509 -new -key selfsigned.key -sha256 -days 400 -subj "/CN=probewise test" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out selfsigned.pem

# Expired: `openssl x509 -req` cannot set dates in the past in OpenSSL 3.0,
# `openssl ca` with explicit -startdate/-enddate can.
mkdir -p ca.db
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ca.db
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
x509_extensions = leaf
[ anything ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
EOF
newkey expired.key
quiet openssl req -new -key expired.key -subj "/CN=probewise expired" -out expired.csr
quiet openssl ca -batch -config ca.cnf -notext -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20200201000000Z

rm -f ./*.csr openssl.log
