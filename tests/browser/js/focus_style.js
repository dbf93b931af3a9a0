() => {
  window.__focusStyle = (el) => {
    const s = getComputedStyle(el);
    return {
      outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
        ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      boxShadow: s.boxShadow,
      border: `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor} ${s.borderBottomWidth} ${s.borderBottomColor}`,
      background: s.backgroundColor,
      color: s.color,
      textDecoration: s.textDecorationLine + ' ' + s.textDecorationThickness,
    };
  };
}
