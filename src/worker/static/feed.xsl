<?xml version="1.0" encoding="utf-8"?>
<!--
  Renders the RSS 2.0 and Atom feeds as a readable right-to-left page when a person
  opens a feed link in a browser. Feed readers ignore it. XSLT 1.0 only (what browsers
  implement); article HTML is not rendered here (no disable-output-escaping, which
  Firefox does not support): titles, dates and summaries are plain text.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" indent="yes"
    doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="description" select="/rss/channel/description | /atom:feed/atom:subtitle"/>
  <xsl:variable name="self"
    select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:variable name="home"
    select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="lang" select="/rss/channel/language | /atom:feed/@xml:lang"/>

  <xsl:template match="/">
    <html lang="{$lang}" dir="rtl">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — خلاصة</title>
        <style>
          body{font-family:system-ui,'Noto Naskh Arabic','Segoe UI',Tahoma,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.8;color:#1f1f1f}
          .about{background:#eef4ff;border-radius:.5rem;padding:1rem 1.25rem}
          code{direction:ltr;unicode-bidi:isolate;display:inline-block;background:#fff;padding:.1rem .4rem;border-radius:.25rem;word-break:break-all}
          article{border-bottom:1px solid #ddd;padding:1rem 0}
          .meta{color:#555;font-size:.9em}
          a{color:#0b57d0}
        </style>
      </head>
      <body>
        <section class="about">
          <p><strong>هذه خلاصة أخبار (RSS/Atom).</strong>
            للاشتراك، انسخ عنوان هذه الصفحة والصقه في قارئ الخلاصات الذي تستخدمه
            (مثل Feedly أو NetNewsWire أو Inoreader أو Thunderbird).</p>
          <p>عنوان الخلاصة: <code><xsl:value-of select="$self"/></code></p>
        </section>
        <h1><a href="{$home}"><xsl:value-of select="$title"/></a></h1>
        <p><xsl:value-of select="$description"/></p>
        <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <xsl:if test="*[local-name()='language']">
        <xsl:attribute name="lang"><xsl:value-of select="*[local-name()='language']"/></xsl:attribute>
        <xsl:attribute name="dir">auto</xsl:attribute>
      </xsl:if>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><xsl:value-of select="pubDate"/></p>
      <p><xsl:value-of select="description"/></p>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
        <xsl:attribute name="dir">auto</xsl:attribute>
      </xsl:if>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
      <p><xsl:value-of select="atom:summary"/></p>
    </article>
  </xsl:template>
</xsl:stylesheet>
