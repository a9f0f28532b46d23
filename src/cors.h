/* The bucket CORS policy W&B needs (seed policy, kept current). */
#ifndef WB_CORS_H
#define WB_CORS_H

#define CORS_MAX_AGE 3000

/*
 * CORSConfiguration XML for ORIGIN ("https://FQDN"): GET, PUT and HEAD,
 * header *, ExposeHeader ETag, MaxAgeSeconds.  The origin is XML-escaped.
 */
char *cors_xml(const char *origin);

#endif
