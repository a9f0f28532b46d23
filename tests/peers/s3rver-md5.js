// s3rver with the one check of S3 it lacks: Content-MD5.  s3rver 3.7.1
// stores a PUT whatever its Content-MD5 says; S3 (and MinIO, Ceph, GCS)
// refuse a digest that does not match the body with 400 BadDigest and a
// malformed one with 400 InvalidDigest.  Run as s3rver's own command line
// (the same options): node s3rver-md5.js S3RVER_PACKAGE_DIR OPTIONS...
'use strict';

const pkg = process.argv.splice(2, 1)[0];
const Koa = require(pkg + '/node_modules/koa');
const S3rver = require(pkg);
const S3Error = require(pkg + '/lib/models/error');

async function contentMd5(ctx, next) {
  await next();
  const given = ctx.get('Content-MD5');
  const etag = ctx.response.get('ETag');
  if (ctx.method !== 'PUT' || given === '' || etag === '' ||
      ctx.status !== 200 || !ctx.params || !ctx.params.key) return;
  const digest = Buffer.from(given, 'base64');
  const stored = etag.replace(/"/g, '');
  if (digest.length === 16 && digest.toString('hex') === stored) return;
  await ctx.store.deleteObject(ctx.params.bucket, ctx.params.key);
  if (digest.length !== 16)
    throw new S3Error('InvalidDigest',
      'The Content-MD5 you specified was invalid.');
  throw new S3Error('BadDigest',
    'The Content-MD5 you specified did not match what we received.',
    { ExpectedDigest: given, CalculatedDigest:
      Buffer.from(stored, 'hex').toString('base64') });
}

S3rver.prototype.callback = function callback() {
  if (this.middleware[0] !== contentMd5) this.middleware.unshift(contentMd5);
  return Koa.prototype.callback.call(this);
};

require(pkg + '/bin/s3rver.js');
