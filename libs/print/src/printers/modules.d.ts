// The ipp and net-snmp packages ship no types; the little Carrel uses is typed where it is used.
declare module 'ipp' {
  const ipp: {
    serialize(message: Record<string, unknown>): Buffer;
    parse(bytes: Buffer): Record<string, any>;
  };
  export default ipp;
}

declare module 'net-snmp' {
  const snmp: any;
  export default snmp;
}
