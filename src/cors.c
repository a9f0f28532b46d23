#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cors.h"
#include "xmalloc.h"

static char *
xml_escape(const char *s)
{
	char *out = xmalloc(strlen(s) * 6 + 1), *o = out;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			o = stpcpy(o, "&amp;");
			break;
		case '<':
			o = stpcpy(o, "&lt;");
			break;
		case '>':
			o = stpcpy(o, "&gt;");
			break;
		case '"':
			o = stpcpy(o, "&quot;");
			break;
		case '\'':
			o = stpcpy(o, "&apos;");
			break;
		default:
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

char *
cors_xml(const char *origin)
{
	char *o = xml_escape(origin), *xml;

	xasprintf(&xml,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
	    "<CORSRule>\n"
	    "    <AllowedOrigin>%s</AllowedOrigin>\n"
	    "    <AllowedMethod>GET</AllowedMethod>\n"
	    "    <AllowedMethod>PUT</AllowedMethod>\n"
	    "    <AllowedMethod>HEAD</AllowedMethod>\n"
	    "    <AllowedHeader>*</AllowedHeader>\n"
	    "    <ExposeHeader>ETag</ExposeHeader>\n"
	    "    <MaxAgeSeconds>%d</MaxAgeSeconds>\n"
	    "</CORSRule>\n"
	    "</CORSConfiguration>\n", o, CORS_MAX_AGE);
	free(o);
	return xml;
}
