using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vedette.Server.Tests;

/// <summary>
/// A passkey authenticator in software, as a browser and platform authenticator would answer WebAuthn ceremonies:
/// an ES256 key pair, "none" attestation, and assertions signed over authenticator data and the client data hash.
/// </summary>
internal sealed class SoftwareAuthenticator(string origin, string rpId) : IDisposable
{
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte AttestedData = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _credentialId = RandomNumberGenerator.GetBytes(32);
    private byte[] _userHandle = [];
    private uint _signCount;

    /// <summary>The authenticator's answer to navigator.credentials.create(options), as PublicKeyCredential JSON.</summary>
    public object Create(JsonElement options)
    {
        _userHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", options.GetProperty("challenge").GetString()!);
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(-7);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        var attested = new List<byte>();
        attested.AddRange(new byte[16]);
        attested.Add((byte)(_credentialId.Length >> 8));
        attested.Add((byte)_credentialId.Length);
        attested.AddRange(_credentialId);
        attested.AddRange(cose.Encode());
        var authData = AuthenticatorData(UserPresent | UserVerified | AttestedData, attested.ToArray());
        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData);
        attestation.WriteEndMap();
        return new
        {
            id = Base64Url.EncodeToString(_credentialId),
            rawId = Base64Url.EncodeToString(_credentialId),
            type = "public-key",
            response = new
            {
                attestationObject = Base64Url.EncodeToString(attestation.Encode()),
                clientDataJSON = Base64Url.EncodeToString(clientData),
                transports = new[] { "internal" },
            },
            clientExtensionResults = new { },
        };
    }

    /// <summary>The answer to navigator.credentials.get(options); <paramref name="verified"/>: the user gave a PIN or biometric.</summary>
    public object Get(JsonElement options, bool verified = true)
    {
        var clientData = ClientData("webauthn.get", options.GetProperty("challenge").GetString()!);
        var authData = AuthenticatorData((byte)(UserPresent | (verified ? UserVerified : 0)), []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new
        {
            id = Base64Url.EncodeToString(_credentialId),
            rawId = Base64Url.EncodeToString(_credentialId),
            type = "public-key",
            response = new
            {
                authenticatorData = Base64Url.EncodeToString(authData),
                clientDataJSON = Base64Url.EncodeToString(clientData),
                signature = Base64Url.EncodeToString(signature),
                userHandle = Base64Url.EncodeToString(_userHandle),
            },
            clientExtensionResults = new { },
        };
    }

    public void Dispose() => _key.Dispose();

    private byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin, crossOrigin = false }));

    private byte[] AuthenticatorData(byte flags, byte[] attested)
    {
        var data = new byte[37 + attested.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(data, 0);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), ++_signCount);
        attested.CopyTo(data, 37);
        return data;
    }
}
