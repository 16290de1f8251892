"""Certificates through avisdk: ApiUtils.import_ssl_certificate with a key and certificate made by the test,
and certificate generation (`certificate.self_signed` + `subject` in the POST), the PEM it answers decoded
by Python's ssl module."""

import os
import ssl
import tempfile

from avi.sdk.utils.api_utils import ApiUtils

import common


def decode(pem):
    """subject CN, issuer CN and SAN DNS names of a PEM certificate, read by the ssl module."""
    with tempfile.NamedTemporaryFile('w', suffix='.pem', delete=False) as f:
        f.write(pem)
    try:
        info = ssl._ssl._test_decode_cert(f.name)  # the stdlib's own X.509 decoder
    finally:
        os.unlink(f.name)
    cn = lambda name: [v for rdn in info[name] for (k, v) in rdn if k == 'commonName']
    return {'subject_cn': cn('subject'), 'issuer_cn': cn('issuer'),
            'dns_names': [v for (k, v) in info.get('subjectAltName', ()) if k == 'DNS']}


def summary(rsp):
    out = common.answer(rsp)
    body = out['body'] if isinstance(out['body'], dict) else {}
    cert = body.get('certificate') or {}
    pem = cert.get('certificate') or ''
    return {'status': out['status'], 'error': body.get('error'), 'type': body.get('type'),
            'subject_cn': (cert.get('subject') or {}).get('common_name'),
            'issuer_cn': (cert.get('issuer') or {}).get('common_name'),
            'self_signed': cert.get('self_signed'), 'not_after': cert.get('not_after'),
            'decoded': decode(pem) if pem.startswith('-----BEGIN CERTIFICATE-----') else None}


def run():
    args = common.parse_args({'--cert-file': {'required': True}, '--key-file': {'required': True}})
    s = common.Steps()
    api = common.session(args)
    utils = ApiUtils(api)
    cert, key = open(args.cert_file).read(), open(args.key_file).read()
    s.step('import', lambda: summary(utils.import_ssl_certificate('py-imported', key, cert)))
    s.step('generate', lambda: summary(api.post('sslkeyandcertificate', data={
        'name': 'py-generated', 'type': 'SSL_CERTIFICATE_TYPE_VIRTUALSERVICE',
        'certificate': {'self_signed': True, 'subject': {'common_name': 'gen.py.example', 'organization': 'avi-k8s'},
                        'subject_alt_names': ['gen.py.example', 'www.gen.py.example']},
        'key_params': {'algorithm': 'SSL_KEY_ALGORITHM_RSA', 'rsa_params': {'key_size': 'SSL_KEY_2048_BITS'}}})))
    s.step('get_generated', lambda: summary(api.get(
        'sslkeyandcertificate/' + api.get_object_by_name('sslkeyandcertificate', 'py-generated')['uuid'])))
    s.step('import_garbage', lambda: summary(utils.import_ssl_certificate('py-garbage', 'not a key', 'not a certificate')))
    return s


common.main(run)
