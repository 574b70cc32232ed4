import { describe, expect, test } from 'vitest';
import { methodCall, parseResponse, XmlRpcFault } from './xmlrpc.ts';

describe('XML-RPC', () => {
  test('encodes scalars, structs and binary', () => {
    const xml = methodCall('wp.uploadFile', [1, 'a<b', { bits: Buffer.from('hi'), overwrite: true }]);
    expect(xml).toContain('<methodName>wp.uploadFile</methodName>');
    expect(xml).toContain('<param><value><int>1</int></value></param>');
    expect(xml).toContain('<string>a&lt;b</string>');
    expect(xml).toContain('<member><name>bits</name><value><base64>aGk=</base64></value></member>');
    expect(xml).toContain('<member><name>overwrite</name><value><boolean>1</boolean></value></member>');
  });

  test('reads a single value and a struct as WordPress sends them', () => {
    expect(parseResponse('<methodResponse><params><param><value><string>42</string></value></param></params></methodResponse>').value).toBe('42');
    const struct = `<methodResponse><params><param><value><struct>
      <member><name>id</name><value><string>7</string></value></member>
      <member><name>url</name><value><string>http://h:1/a.png?x=1&amp;y=2</string></value></member>
    </struct></value></param></params></methodResponse>`;
    expect(parseResponse(struct).members).toEqual({ id: '7', url: 'http://h:1/a.png?x=1&y=2' });
  });

  test('a fault is an error with its message', () => {
    const fault = `<methodResponse><fault><value><struct>
      <member><name>faultCode</name><value><int>403</int></value></member>
      <member><name>faultString</name><value><string>Incorrect username or password.</string></value></member>
    </struct></value></fault></methodResponse>`;
    expect(() => parseResponse(fault)).toThrow(XmlRpcFault);
    expect(() => parseResponse(fault)).toThrow('Incorrect username or password.');
  });
});
