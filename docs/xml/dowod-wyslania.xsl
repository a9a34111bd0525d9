<?xml version="1.0" encoding="UTF-8"?>
<!--
  Urząd OnLine: renders a proof of sending (urn:urzad-online:xml:dowod-wyslania:2026) as HTML,
  for archivists and office systems that show documents through a stylesheet. Licence EUPL-1.2.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:dw="urn:urzad-online:xml:dowod-wyslania:2026"
                xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                exclude-result-prefixes="dw ds">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <html lang="pl">
      <head>
        <meta charset="UTF-8"/>
        <title>Dowód wysłania</title>
      </head>
      <body>
        <xsl:apply-templates select="dw:Dokument/dw:DowodWyslania"/>
        <h2>Podpis</h2>
        <xsl:choose>
          <xsl:when test="dw:Dokument/ds:Signature/ds:SignatureValue != ''">
            <p>Dowód jest opatrzony pieczęcią elektroniczną urzędu. Aby ją zweryfikować, należy użyć oprogramowania do weryfikacji podpisu.</p>
            <p>Czas złożenia pieczęci: <xsl:value-of select="dw:Dokument/ds:Signature/ds:Object//*[local-name() = 'SigningTime']"/></p>
          </xsl:when>
          <xsl:otherwise>
            <p>Dowód nie zawiera podpisu.</p>
          </xsl:otherwise>
        </xsl:choose>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="dw:DowodWyslania">
    <h1>Dowód wysłania</h1>
    <dl>
      <dt>Identyfikator dowodu</dt>
      <dd><xsl:value-of select="dw:IdentyfikatorDowodu"/></dd>
      <dt>Tytuł pisma</dt>
      <dd><xsl:value-of select="dw:Tytul"/></dd>
      <xsl:if test="dw:ZnakSprawy">
        <dt>Znak sprawy</dt>
        <dd><xsl:value-of select="dw:ZnakSprawy"/></dd>
      </xsl:if>
      <dt>Nadawca</dt>
      <dd>
        <xsl:value-of select="dw:Nadawca/dw:Nazwa"/>
        <xsl:text> (identyfikator urzędu: </xsl:text>
        <xsl:value-of select="dw:Nadawca/dw:IdentyfikatorUrzedu"/>
        <xsl:text>, adres skrytki: </xsl:text>
        <xsl:value-of select="dw:Nadawca/dw:AdresSkrytki"/>
        <xsl:text>)</xsl:text>
      </dd>
      <dt>Wysyłający w imieniu urzędu</dt>
      <dd><xsl:apply-templates select="dw:Nadawca/dw:Wysylajacy"/></dd>
      <dt>Adresat</dt>
      <dd><xsl:apply-templates select="dw:Adresat"/></dd>
      <dt>Data wysłania</dt>
      <dd><xsl:value-of select="dw:DataWyslania"/></dd>
      <dt>Data wytworzenia dowodu</dt>
      <dd><xsl:value-of select="dw:DataWytworzeniaDowodu"/></dd>
      <dt>Identyfikator pisma</dt>
      <dd><xsl:value-of select="dw:IdentyfikatorDokumentu"/></dd>
      <xsl:for-each select="dw:InformacjaUzupelniajaca">
        <dt><xsl:value-of select="@Typ"/></dt>
        <dd><xsl:value-of select="."/></dd>
      </xsl:for-each>
      <xsl:if test="dw:PozycjaWRejestrze">
        <dt>Pozycja w rejestrze przejrzystości</dt>
        <dd><xsl:value-of select="dw:PozycjaWRejestrze"/></dd>
      </xsl:if>
    </dl>
    <h2>Pliki</h2>
    <table>
      <thead>
        <tr><th scope="col">Rola</th><th scope="col">Nazwa pliku</th><th scope="col">Rozmiar (bajty)</th><th scope="col">Skrót SHA-256</th></tr>
      </thead>
      <tbody>
        <xsl:for-each select="dw:Plik">
          <tr>
            <td>
              <xsl:choose>
                <xsl:when test="@Rola = 'DokumentGlowny'">dokument główny</xsl:when>
                <xsl:otherwise>załącznik</xsl:otherwise>
              </xsl:choose>
            </td>
            <td><xsl:value-of select="@NazwaPliku"/></td>
            <td><xsl:value-of select="@Rozmiar"/></td>
            <td><code><xsl:value-of select="."/></code></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="dw:Wysylajacy | dw:Adresat">
    <xsl:value-of select="dw:Nazwa"/>
    <xsl:text> (</xsl:text>
    <xsl:value-of select="dw:Identyfikator/@Typ"/>
    <xsl:text>: </xsl:text>
    <xsl:value-of select="dw:Identyfikator"/>
    <xsl:text>)</xsl:text>
  </xsl:template>
</xsl:stylesheet>
